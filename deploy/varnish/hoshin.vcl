# Varnish in front of hoshin (docs/integrating.md, "Caching behind a CDN"). It keeps what the
# server marks cacheable and nothing else, and forgets answers by surrogate key when the server
# sends BAN with `Surrogate-Key: k1 k2 …` (HOSHIN_PURGE_URL=http://this-varnish:6081/).
# The tests and the bench start a copy with the backend's port replaced.
vcl 4.1;

import std;

backend hoshin {
  .host = "127.0.0.1";
  .port = "4000";
}

# Who may purge: the hoshin servers. Put their addresses here.
acl purgers {
  "127.0.0.1";
  "::1";
}

sub vcl_recv {
  if (req.method == "BAN") {
    if (client.ip !~ purgers) {
      return (synth(403, "Forbidden"));
    }
    if (!req.http.Surrogate-Key || req.http.Surrogate-Key !~ "^[A-Za-z0-9_%:\- ]+$") {
      return (synth(400, "Surrogate-Key: keys separated by spaces"));
    }
    # Lurker-friendly (obj.* only): every object carrying any of the keys. The ban expression
    # splits its arguments on spaces, so the regex has none (\s is passed to PCRE as it is).
    if (!std.ban("obj.http.Surrogate-Key ~ (^|\s)(" + regsuball(regsuball(req.http.Surrogate-Key, "^ +| +$", ""), " +", "|") + ")(\s|$)")) {
      return (synth(500, std.ban_error()));
    }
    return (synth(200, "Banned"));
  }
  # A token holder's answer is theirs alone (the server also says private, no-store).
  if (req.http.Authorization) {
    return (pass);
  }
  if (req.method != "GET" && req.method != "HEAD") {
    return (pass);
  }
  # The answer depends on the URL, Accept and Origin (the server's Vary), nothing else.
  unset req.http.Cookie;
  return (hash);
}

sub vcl_backend_response {
  # Varnish's built-in rules honour Cache-Control: s-maxage/max-age set the TTL,
  # stale-while-revalidate the grace, private/no-store make the answer uncacheable.
  if (!beresp.http.Surrogate-Key) {
    set beresp.uncacheable = true;
    set beresp.ttl = 0s;
    return (deliver);
  }
}

sub vcl_deliver {
  if (obj.hits > 0) {
    set resp.http.X-Cache = "HIT";
  } else {
    set resp.http.X-Cache = "MISS";
  }
}

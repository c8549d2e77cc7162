// Types every part of the runtime shares, in a file of their own so the parts never import
// each other in a circle (client.ts uses subscribe.ts; both use these).

/** The fetch the client calls; the global one unless given. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

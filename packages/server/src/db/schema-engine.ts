// Prisma's schema engine compiled to WebAssembly: applies and diffs migrations without the
// native binary the Prisma CLI would download. Loaded by hand because the package's ESM entry
// imports a .wasm module, which Node 20 only allows behind --experimental-wasm-modules.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngine = glue.SchemaEngine;

let loaded: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    // The .wasm file is not in the package's exports map: find it beside the entry point.
    const entry = require.resolve('@prisma/schema-engine-wasm');
    const wasmPath = join(dirname(entry), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

/** Opens a schema engine over a driver adapter; `schemaText` is the Prisma schema. */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; text: string },
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  await loadWasm();
  return glue.SchemaEngine.new(
    { datamodels: [[schema.path, schema.text]] },
    log,
    bindMigrationAwareSqlAdapterFactory(wholeScripts(adapterFactory)),
  );
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it at every ";", which breaks
 * PL/pgSQL function bodies (and semicolons in comments). PostgreSQL's simple query protocol
 * takes the whole script as it is, as the Prisma CLI sends it: a query without parameters
 * goes that way.
 */
function wholeScripts(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  if (factory.adapterName !== '@prisma/adapter-pg') return factory;
  const fix = (adapter: SqlDriverAdapter) => {
    adapter.executeScript = async (script) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    return adapter;
  };
  return {
    adapterName: factory.adapterName,
    provider: factory.provider,
    connect: async () => fix(await factory.connect()),
    connectToShadowDb: async () => fix(await factory.connectToShadowDb()),
  };
}

// The parts of npm's `datapackage` (Frictionless Data) and `jsonld` the tests use: neither
// ships type declarations.
declare module 'datapackage' {
  export interface Resource {
    name: string;
    source: string;
    schema?: {
      foreignKeys?: unknown[];
      fields?: { name: string; constraints?: { pattern?: string } }[];
    };
    read(options?: { keyed?: boolean; relations?: boolean }): Promise<Record<string, unknown>[]>;
  }
  export class Package {
    static load(descriptor: string | object): Promise<Package>;
    valid: boolean;
    errors: Error[];
    descriptor: Record<string, any>;
    resources: Resource[];
    resourceNames: string[];
  }
}

declare module 'jsonld' {
  const jsonld: { expand(input: object): Promise<object[]> };
  export default jsonld;
}

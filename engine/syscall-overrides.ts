/**
 * The engine's answers to the syscalls convex-test stubs out or answers
 * differently from Convex: file storage (`ctx.storage.*`, see
 * `file-storage.ts`) and vector search (`ctx.vectorSearch`, see
 * `vector-search.ts`). Registered per engine through `overrideSyscalls`.
 */
import { convexToJson, type Value } from "convex/values";
import type { FileStorage, StorageHost } from "./file-storage";
import type { SyscallOverrides } from "./internals";
import type { StoredDoc } from "./store-types";
import { tableOfId } from "./store-types";
import { type VectorIndexDef, vectorSearch } from "./vector-search";

type Next = (op: string, json: string) => Promise<string>;
type SchemaDb = {
  _schema: { tables: Map<string, { vectorIndexes?: VectorIndexDef[] }> } | null;
};

async function currentComponent(next: Next): Promise<string> {
  const meta = JSON.parse(await next("1.0/getFunctionMetadata", "{}")) as {
    componentPath?: string;
  };
  return meta.componentPath ?? "";
}

function storageIdOf(args: Record<string, unknown>): string {
  const id = args.storageId;
  if (typeof id !== "string" || tableOfId(id) !== "_storage") {
    throw new Error(`Invalid storage ID: ${JSON.stringify(id)}`);
  }
  return id;
}

/** Syscall overrides for an engine's file storage and vector search. */
export function engineSyscalls(host: StorageHost, storage: FileStorage): SyscallOverrides {
  return {
    async(op, json, next) {
      switch (op) {
        case "1.0/storageGenerateUploadUrl":
          return (async () => JSON.stringify(storage.uploadUrl(await currentComponent(next))))();
        case "1.0/storageGetUrl":
          return (async () => {
            const component = await currentComponent(next);
            const id = storageIdOf(JSON.parse(json) as Record<string, unknown>);
            const meta = storage.meta(host, component, id);
            return JSON.stringify(meta === null ? null : storage.fileUrl(component, id));
          })();
        case "1.0/storageGetMetadata":
          return (async () => {
            const component = await currentComponent(next);
            const id = storageIdOf(JSON.parse(json) as Record<string, unknown>);
            const meta = storage.meta(host, component, id);
            return JSON.stringify(
              meta === null
                ? null
                : {
                    storageId: id,
                    sha256: meta.sha256,
                    size: meta.size,
                    contentType: meta.contentType ?? null,
                  },
            );
          })();
        case "1.0/actions/vectorSearch":
          return (async () => {
            const component = await currentComponent(next);
            const db = host.databases.get(component)!;
            const { query } = JSON.parse(json) as {
              query: { indexName: string; vector: unknown; limit?: unknown; expressions?: unknown };
            };
            const [table = "", index = ""] = query.indexName.split(".");
            const def = (db as unknown as SchemaDb)._schema?.tables
              .get(table)
              ?.vectorIndexes?.find((i) => i.indexDescriptor === index);
            if (!def) {
              throw new Error(
                `Cannot use vector index "${index}" for table "${table}" because it is not declared in the schema.`,
              );
            }
            const docs: StoredDoc[] = [];
            db._iterateDocs(table, (d) => docs.push(d));
            const results = vectorSearch(docs, def, query.indexName, query);
            return JSON.stringify(convexToJson({ results } as unknown as Value));
          })();
        default:
          return undefined;
      }
    },
    js(op, args, next) {
      switch (op) {
        case "storage/storeBlob":
          return (async () => {
            const component = await currentComponent(next);
            const blob = args.blob as Blob;
            const bytes = new Uint8Array(await blob.arrayBuffer());
            return await storage.store(host, component, bytes, blob.type || undefined);
          })();
        case "storage/getBlob":
          return (async () => {
            const component = await currentComponent(next);
            const id = storageIdOf(args);
            const meta = storage.meta(host, component, id);
            const bytes = meta === null ? null : storage.read(component, id);
            if (meta === null || bytes === null) return null;
            return new Blob([new Uint8Array(bytes)], { type: meta.contentType ?? "" });
          })();
        default:
          return undefined;
      }
    },
  };
}

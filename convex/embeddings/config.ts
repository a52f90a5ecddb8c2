/**
 * Which embeddings provider this deployment uses (environment variables, read
 * where the provider runs):
 *
 * - default / `EMBEDDINGS_PROVIDER=local`: the local deterministic provider
 *   (`local-hash@v1`: hashed wink-nlp lemmas, no network; not a neural model).
 * - `EMBEDDINGS_PROVIDER=openai` with `EMBEDDINGS_URL` (API base, e.g.
 *   `https://api.openai.com`), `EMBEDDINGS_API_KEY`, optional
 *   `EMBEDDINGS_MODEL` (default `text-embedding-3-small`),
 *   `EMBEDDINGS_VERSION` (bump to re-embed with the same model) and
 *   `EMBEDDINGS_TIMEOUT_MS`: an OpenAI-compatible `/v1/embeddings` endpoint,
 *   asked for 256 dimensions.
 *
 * Changing the provider or model changes the configured model key; vectors
 * of the serving key keep serving until `npm run embeddings:backfill` has
 * built the new key's vectors and switched to them.
 */
import {
  LOCAL_MODEL_KEY,
  localHashedProvider,
} from "../../projections/matching/embeddings/localHashed";
import {
  openAiEmbeddingProvider,
  openAiModelKey,
} from "../../projections/matching/embeddings/openAi";
import type { EmbeddingProvider } from "../../projections/matching/embeddings/provider";
import { env } from "../_generated/server";

/** Why: OpenAI's small embedding model is the common OpenAI-compatible default. */
const DEFAULT_OPENAI_MODEL = "text-embedding-3-small";

function openAiSettings() {
  if (env.EMBEDDINGS_PROVIDER !== "openai") return null;
  const baseUrl = env.EMBEDDINGS_URL;
  const apiKey = env.EMBEDDINGS_API_KEY;
  if (!baseUrl || !apiKey) return null;
  const timeout = Number(env.EMBEDDINGS_TIMEOUT_MS);
  return {
    baseUrl,
    apiKey,
    model: env.EMBEDDINGS_MODEL || DEFAULT_OPENAI_MODEL,
    version: env.EMBEDDINGS_VERSION || undefined,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
  };
}

/** The model key the configuration asks for (what a backfill builds). */
export function configuredModelKey(): string {
  const s = openAiSettings();
  return s ? openAiModelKey(s) : LOCAL_MODEL_KEY;
}

/** The provider that makes vectors of `modelKey`, or null when this deployment cannot. */
export function providerFor(modelKey: string): EmbeddingProvider | null {
  if (modelKey === LOCAL_MODEL_KEY) return localHashedProvider;
  const s = openAiSettings();
  if (s && openAiModelKey(s) === modelKey) return openAiEmbeddingProvider(s);
  return null;
}

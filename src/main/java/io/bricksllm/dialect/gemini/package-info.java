/**
 * Google's Gemini API (Google AI {@code generateContent} / {@code streamGenerateContent?alt=sse},
 * {@code batchEmbedContents}) as a target: canonical requests encoded as Gemini bodies with the path
 * that names the model ({@link io.bricksllm.dialect.gemini.GeminiPaths}), Gemini responses, SSE chunks
 * and error bodies decoded back to the canonical model, and OpenAI embeddings requests translated
 * both ways. The key travels in {@code x-goog-api-key}; nothing here knows it.
 */
package io.bricksllm.dialect.gemini;

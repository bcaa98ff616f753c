package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.anthropic.AnthropicErrorDecoder;
import io.bricksllm.dialect.anthropic.AnthropicErrorEncoder;
import io.bricksllm.dialect.anthropic.AnthropicRequestDecoder;
import io.bricksllm.dialect.anthropic.AnthropicResponseEncoder;
import io.bricksllm.dialect.anthropic.AnthropicRequestEncoder;
import io.bricksllm.dialect.anthropic.AnthropicResponseDecoder;
import io.bricksllm.dialect.bedrock.BedrockErrorDecoder;
import io.bricksllm.dialect.bedrock.BedrockRequestEncoder;
import io.bricksllm.dialect.bedrock.BedrockResponseDecoder;
import io.bricksllm.dialect.bedrock.ClaudeInvokeEncoder;
import io.bricksllm.dialect.bedrock.TitanEmbeddingsDecoder;
import io.bricksllm.dialect.bedrock.TitanEmbeddingsEncoder;
import io.bricksllm.dialect.gemini.GeminiEmbeddingsDecoder;
import io.bricksllm.dialect.gemini.GeminiEmbeddingsEncoder;
import io.bricksllm.dialect.gemini.GeminiErrorDecoder;
import io.bricksllm.dialect.gemini.GeminiRequestEncoder;
import io.bricksllm.dialect.gemini.GeminiResponseDecoder;
import io.bricksllm.dialect.openai.OpenAiErrorDecoder;
import io.bricksllm.dialect.responses.ResponsesErrorEncoder;
import io.bricksllm.dialect.responses.ResponsesRequestDecoder;
import io.bricksllm.dialect.responses.ResponsesResponseEncoder;
import io.bricksllm.dialect.openai.OpenAiErrorEncoder;
import io.bricksllm.dialect.openai.OpenAiRequestEncoder;
import io.bricksllm.dialect.openai.OpenAiResponseDecoder;
import io.bricksllm.dialect.openai.OpenAiRequestDecoder;
import io.bricksllm.dialect.openai.OpenAiResponseEncoder;

/** The stateless codecs of every dialect, built once; the per-stream decoders and encoders are made per answer. */
record Codecs(ObjectMapper json, OpenAiRequestDecoder openAiRequests, OpenAiResponseEncoder openAiResponses,
              OpenAiErrorEncoder openAiErrors,
              AnthropicRequestEncoder anthropicRequests, AnthropicResponseDecoder anthropicResponses,
              AnthropicErrorDecoder anthropicErrors,
              GeminiRequestEncoder geminiRequests, GeminiResponseDecoder geminiResponses, GeminiErrorDecoder geminiErrors,
              GeminiEmbeddingsEncoder geminiEmbeddings, GeminiEmbeddingsDecoder geminiEmbeddingAnswers,
              BedrockRequestEncoder bedrockRequests, BedrockResponseDecoder bedrockResponses, BedrockErrorDecoder bedrockErrors,
              TitanEmbeddingsEncoder titanRequests, TitanEmbeddingsDecoder titanAnswers,
              ClaudeInvokeEncoder claudeInvokeRequests, AnthropicErrorEncoder anthropicErrorAnswers,
              AnthropicRequestDecoder anthropicIngressRequests, AnthropicResponseEncoder anthropicIngressResponses,
              OpenAiRequestEncoder openAiTargetRequests, OpenAiResponseDecoder openAiTargetResponses, OpenAiErrorDecoder openAiTargetErrors,
              ResponsesRequestDecoder responsesRequests, ResponsesResponseEncoder responsesAnswers, ResponsesErrorEncoder responsesErrors) {

    /** What Anthropic is asked for when the caller set no output cap (Anthropic requires one). */
    static final int DEFAULT_MAX_TOKENS = 4096;

    static Codecs of(ObjectMapper json) {
        return new Codecs(json, new OpenAiRequestDecoder(json), new OpenAiResponseEncoder(json), new OpenAiErrorEncoder(json),
                new AnthropicRequestEncoder(json, DEFAULT_MAX_TOKENS), new AnthropicResponseDecoder(json), new AnthropicErrorDecoder(json),
                new GeminiRequestEncoder(json), new GeminiResponseDecoder(json), new GeminiErrorDecoder(json),
                new GeminiEmbeddingsEncoder(json), new GeminiEmbeddingsDecoder(json),
                new BedrockRequestEncoder(json), new BedrockResponseDecoder(json), new BedrockErrorDecoder(json),
                new TitanEmbeddingsEncoder(json), new TitanEmbeddingsDecoder(json),
                new ClaudeInvokeEncoder(json), new AnthropicErrorEncoder(json),
                new AnthropicRequestDecoder(json), new AnthropicResponseEncoder(json),
                new OpenAiRequestEncoder(json), new OpenAiResponseDecoder(json), new OpenAiErrorDecoder(json),
                new ResponsesRequestDecoder(json), new ResponsesResponseEncoder(json), new ResponsesErrorEncoder(json));
    }
}

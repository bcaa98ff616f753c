package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.openai.JsonFields.absent;
import static io.bricksllm.dialect.openai.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.dialect.Part;
import java.util.ArrayList;
import java.util.List;

/** A message's {@code content}: a string, null, or an array of typed parts. */
final class OpenAiContentDecoder {

    List<Part> parts(JsonNode content, String path) {
        if (absent(content)) {
            return List.of();
        }
        if (content.isTextual()) {
            return List.of(new Part.Text(content.textValue()));
        }
        if (!content.isArray()) {
            throw new InvalidChatRequestException(path, "must be a string or an array of content parts");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            parts.add(part(content.get(i), path + "[" + i + "]"));
        }
        return parts;
    }

    /** Tool results carry text only: parts are joined, as OpenAI itself reads them. */
    String text(JsonNode content, String path) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts(content, path)) {
            if (!(part instanceof Part.Text(String value))) {
                throw new InvalidChatRequestException(path, "may contain text parts only");
            }
            text.append(value);
        }
        return text.toString();
    }

    private Part part(JsonNode part, String path) {
        if (!part.isObject()) {
            throw new InvalidChatRequestException(path, "must be an object");
        }
        String type = requiredText(part, "type", path + ".type");
        return switch (type) {
            case "text" -> new Part.Text(requiredText(part, "text", path + ".text"));
            case "refusal" -> new Part.Text(requiredText(part, "refusal", path + ".refusal"));
            case "image_url" -> image(part.get("image_url"), path + ".image_url");
            default -> throw new UnsupportedByDialectException(path + ".type", "other than openai",
                    "content part '" + type + "' can only be sent to OpenAI's own API");
        };
    }

    private Part image(JsonNode image, String path) {
        if (image != null && image.isTextual()) {
            return new Part.Image(image.textValue());
        }
        if (image == null || !image.isObject()) {
            throw new InvalidChatRequestException(path, "must be an object with a url");
        }
        return new Part.Image(requiredText(image, "url", path + ".url"));
    }
}

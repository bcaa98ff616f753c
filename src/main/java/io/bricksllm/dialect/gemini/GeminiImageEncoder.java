package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An image part: a base64 data URL as {@code inlineData}, an http(s) URL as {@code fileData}. Gemini
 * needs a MIME type with a file URI and OpenAI's wire shape has none, so it is guessed from the URL's
 * extension; a URL without a known image extension is refused rather than sent with a wrong type.
 */
final class GeminiImageEncoder {

    private static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/webp", "image/heic", "image/heif");
    private static final Map<String, String> BY_EXTENSION = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "webp", "image/webp", "heic", "image/heic", "heif", "image/heif");
    private static final String FIELD = "messages[].content[].image_url";

    private final ObjectMapper json;

    GeminiImageEncoder(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode encode(Part.Image image) {
        ObjectNode part = json.createObjectNode();
        String url = image.url();
        if (image.isDataUrl()) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring(5, comma);
            if (!header.endsWith(";base64")) {
                throw new InvalidChatRequestException(FIELD + ".url", "a data URL must be base64: data:<media type>;base64,<data>");
            }
            String mimeType = header.substring(0, header.length() - 7).toLowerCase(Locale.ROOT);
            if (!TYPES.contains(mimeType)) {
                throw new UnsupportedByDialectException(FIELD, GeminiRequestEncoder.PROVIDER,
                        "images must be one of " + TYPES + ", not " + mimeType);
            }
            part.putObject("inlineData").put("mimeType", mimeType).put("data", url.substring(comma + 1));
        } else if (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7)) {
            part.putObject("fileData").put("mimeType", mimeTypeOf(url)).put("fileUri", url);
        } else {
            throw new InvalidChatRequestException(FIELD + ".url", "must be a data URL or an http(s) URL");
        }
        return part;
    }

    private static String mimeTypeOf(String url) {
        String path = url;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        String type = dot > slash ? BY_EXTENSION.get(path.substring(dot + 1).toLowerCase(Locale.ROOT)) : null;
        if (type == null) {
            throw new UnsupportedByDialectException(FIELD, GeminiRequestEncoder.PROVIDER,
                    "an image URL must end in one of " + BY_EXTENSION.keySet() + " (Gemini needs its type); "
                            + "send it as a data URL instead");
        }
        return type;
    }

    private static int indexOfAny(String text, char a, char b) {
        int i = text.indexOf(a);
        int j = text.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}

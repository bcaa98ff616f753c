package io.bricksllm.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page of events ends: the sort value and the event id of its last row, in one {@link EventRepository.Order}.
 * On the wire it is opaque and URL-safe: base64url (no padding) of {@code v1|<order>|<value>|<eventId>}; the value is
 * created_at, or the bits of cost_in_usd (a double compared exactly). A cursor names its order so that a cursor of
 * one order cannot silently skip rows when sent with another.
 */
public record EventCursor(EventRepository.Order order, long value, String eventId) {
    private static final String VERSION = "v1";
    /** Longer than any cursor we issue (event ids are at most 64 characters): refuse before decoding. */
    private static final int MAX_TOKEN_LENGTH = 256;

    /** Thrown for a token that is not a cursor of the expected order; the admin API answers 400. */
    public static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message, null);
        }
    }

    public EventCursor {
        if (eventId == null || eventId.isEmpty() || eventId.length() > 64) throw new Invalid("the event id is not valid");
    }

    /** The sort value as SQL binds it: a long for created_at, a double for cost. */
    Object sortValue() {
        return order.byCost() ? (Object) Double.longBitsToDouble(value) : (Object) value;
    }

    public String encode() {
        String raw = VERSION + "|" + order.name() + "|" + value + "|" + eventId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code token}, which must have been issued for {@code expected}; {@link Invalid} otherwise. */
    public static EventCursor decode(String token, EventRepository.Order expected) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) throw new Invalid("the cursor is empty or too long");
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Invalid("the cursor is not base64url");
        }
        String[] parts = raw.split("\\|", 4);
        if (parts.length != 4 || !parts[0].equals(VERSION)) throw new Invalid("the cursor is not one this gateway issued");
        if (!parts[1].equals(expected.name())) {
            throw new Invalid("the cursor belongs to another order (" + parts[1] + "); send the order it was issued for");
        }
        long value;
        try {
            value = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw new Invalid("the cursor's position is not a number");
        }
        if (expected.byCost() && !Double.isFinite(Double.longBitsToDouble(value))) throw new Invalid("the cursor's cost is not finite");
        return new EventCursor(expected, value, parts[3]);
    }
}

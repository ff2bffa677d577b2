package org.allockit.bench.cli;

import java.util.Locale;

/**
 * Writes one flat JSON object, keys in the order they are put: enough for the CLI's {@code --json}
 * output without a JSON library. Numbers that JSON cannot hold (NaN, infinities) are written as
 * {@code null}. Not thread-safe.
 */
public final class JsonObject {

    private final StringBuilder text = new StringBuilder("{");

    public JsonObject put(String key, String value) {
        key(key);
        if (value == null) {
            text.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    public JsonObject put(String key, long value) {
        key(key);
        text.append(value);
        return this;
    }

    public JsonObject put(String key, boolean value) {
        key(key);
        text.append(value);
        return this;
    }

    /** A value that is already JSON (a nested object or array), written as it is. */
    public JsonObject putJson(String key, String json) {
        key(key);
        text.append(json);
        return this;
    }

    /** A number rounded to {@code decimals} places. */
    public JsonObject put(String key, double value, int decimals) {
        key(key);
        text.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "null");
        return this;
    }

    @Override
    public String toString() {
        return text + "}";
    }

    private void key(String key) {
        if (text.length() > 1) {
            text.append(',');
        }
        quote(key);
        text.append(':');
    }

    private void quote(String s) {
        text.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}

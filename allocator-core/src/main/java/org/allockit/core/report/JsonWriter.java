package org.allockit.core.report;

import java.util.Locale;

/**
 * The one JSON writer of the toolkit, behind every report it prints for tools (replay and simulation
 * results, the shoot-out's results file, leak reports), so that none needs a JSON library. Compact
 * text, members in the order they are written; strings escaped as RFC 8259 asks; numbers that JSON
 * cannot hold (NaN, infinities) written as {@code null}. Invariant: every container begun is closed
 * by {@link #end()} with its own bracket. Not thread-safe: one writer per document.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    /** The brackets of the containers still open, innermost last. */
    private final StringBuilder open = new StringBuilder();
    private boolean first = true;
    /** A member's name was just written: its value takes no comma. */
    private boolean afterName;

    /** Begins an object: an array element, the document itself, or (with a name) a member. */
    public JsonWriter beginObject() {
        return begin('{');
    }

    public JsonWriter beginObject(String name) {
        return name(name).begin('{');
    }

    public JsonWriter beginArray() {
        return begin('[');
    }

    public JsonWriter beginArray(String name) {
        return name(name).begin('[');
    }

    /** Closes the innermost open object or array. */
    public JsonWriter end() {
        if (open.isEmpty()) {
            throw new IllegalStateException("JSON: end() with no object or array open");
        }
        char bracket = open.charAt(open.length() - 1);
        open.setLength(open.length() - 1);
        out.append(bracket == '{' ? '}' : ']');
        first = false;
        return this;
    }

    /** A string member; a null value is written as {@code null}. */
    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, boolean value) {
        return name(name).raw(Boolean.toString(value));
    }

    /** A number member with six significant digits ({@code %.6g}). */
    public JsonWriter field(String name, double value) {
        return name(name).raw(Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null");
    }

    /** A number member rounded to {@code decimals} places. */
    public JsonWriter field(String name, double value, int decimals) {
        return name(name).raw(Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "null");
    }

    /** A member whose value is already JSON text, written as it is. */
    public JsonWriter rawField(String name, String json) {
        return name(name).raw(json);
    }

    /** A string array element; null is written as {@code null}. */
    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    /** JSON text written as it is: an element, or members when this writer holds members only. */
    public JsonWriter raw(String json) {
        separate();
        out.append(json);
        return this;
    }

    /** The text written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    /** {@code text} as a JSON string literal. */
    public static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2);
        quote(b, text);
        return b.toString();
    }

    /**
     * A JSON number for figures read back by tools: integral values (below 10^15) as integers, others
     * with six significant digits, NaN and infinities as {@code null}.
     */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value);
    }

    private JsonWriter begin(char bracket) {
        separate();
        out.append(bracket);
        open.append(bracket);
        first = true;
        return this;
    }

    private JsonWriter name(String name) {
        separate();
        quote(out, name);
        out.append(':');
        afterName = true;
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}

package org.allockit.leak;

import java.util.List;

/** The little JSON the reports write: quoted strings and arrays of frames. Stateless. */
final class Json {

    private Json() {
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A site's frames as an array of strings. */
    static String stack(Site site) {
        List<String> frames = site.frames().stream().map(f -> quote(f.toString())).toList();
        return "[" + String.join(",", frames) + "]";
    }
}

package org.allockit.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001f\"", JsonWriter.quote("a\"b\\c\nd\re\tf\u0001g\u001f"));
        assertEquals("\"caf\u00e9 \u2192\"", JsonWriter.quote("caf\u00e9 \u2192"));
        assertEquals("{\"k\\\"ey\":\"v\\\\\",\"none\":null}",
                new JsonWriter().beginObject().field("k\"ey", "v\\").field("none", (String) null).end().toString());
    }

    @Test
    void nestsObjectsAndArraysWithCommasOnlyBetweenItems() {
        String json = new JsonWriter().beginObject()
                .field("a", 1)
                .beginArray("list").value(2).value("x").beginObject().field("b", true).end().beginArray().end().end()
                .beginObject("empty").end()
                .rawField("raw", "[3,4]")
                .field("c", false)
                .end().toString();
        assertEquals("{\"a\":1,\"list\":[2,\"x\",{\"b\":true},[]],\"empty\":{},\"raw\":[3,4],\"c\":false}", json);
    }

    @Test
    void membersWithoutBracesCanBeEmbedded() {
        String members = new JsonWriter().field("x", 1).field("y", 2).toString();
        assertEquals("{\"outer\":0,\"x\":1,\"y\":2}", new JsonWriter().beginObject().field("outer", 0).raw(members).end().toString());
    }

    @Test
    void writesNumbersJsonCanHoldAndNullForTheRest() {
        assertEquals("{\"n\":-9223372036854775808,\"g\":0.333333,\"f\":2.50,\"nan\":null,\"inf\":null}",
                new JsonWriter().beginObject().field("n", Long.MIN_VALUE).field("g", 1.0 / 3).field("f", 2.5, 2)
                        .field("nan", Double.NaN).field("inf", Double.POSITIVE_INFINITY, 3).end().toString());
        assertEquals("3", JsonWriter.number(3.0));
        assertEquals("-42", JsonWriter.number(-42.0));
        assertEquals("1.50000", JsonWriter.number(1.5));
        assertEquals("1.00000e+15", JsonWriter.number(1e15));
        assertEquals("null", JsonWriter.number(Double.NaN));
        assertEquals("null", JsonWriter.number(Double.NEGATIVE_INFINITY));
    }

    @Test
    void endWithNothingOpenIsAnError() {
        JsonWriter w = new JsonWriter().beginArray().end();
        assertThrows(IllegalStateException.class, w::end);
    }
}

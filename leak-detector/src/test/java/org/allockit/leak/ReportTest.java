package org.allockit.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.allockit.core.Allocators;
import org.junit.jupiter.api.Test;

/** Reports group by site and sort by bytes; text and JSON say the same; snapshots diff by site. */
class ReportTest {

    private static LeakTracker full() {
        return LeakTracker.wrap(Allocators.create("malloc"), LeakOptions.of(Level.FULL).withLog(m -> { }));
    }

    private static long small(LeakTracker t) {
        return t.alloc(10);
    }

    private static long large(LeakTracker t) {
        return t.alloc(1000);
    }

    @Test
    void groupsBySiteLargestBytesFirst() {
        LeakTracker tracker = full();
        for (int i = 0; i < 5; i++) {
            small(tracker);
        }
        large(tracker);
        tracker.close();
        List<SiteLeaks> sites = tracker.report().sites();
        assertEquals(2, sites.size());
        assertEquals("large", sites.get(0).site().frames().getFirst().getMethodName());
        assertEquals(1000, sites.get(0).bytes());
        assertEquals(5, sites.get(1).blocks());
        assertEquals(50, sites.get(1).bytes());
    }

    @Test
    void textAndJsonCarryTheFigures() {
        LeakTracker tracker = full();
        large(tracker);
        small(tracker);
        tracker.close();
        LeakReport report = tracker.report();
        String text = report.toText();
        assertTrue(text.startsWith("malloc (FULL): 2 blocks, 1010 bytes live from 2 sites"), text);
        assertTrue(text.contains("1000 bytes in 1 block"), text);
        assertTrue(text.contains("ReportTest.large"), text);
        String json = report.toJson();
        assertTrue(json.startsWith("{\"allocator\":\"malloc\",\"level\":\"FULL\",\"blocks\":2,\"bytes\":1010,\"sites\":[{"), json);
        assertTrue(json.contains("\"bytes\":1000,\"oldestAgeMillis\":"), json);
        assertTrue(json.contains("\"stack\":[\"org.allockit.leak.ReportTest.large("), json);
        assertTrue(json.endsWith("],\"errors\":[],\"unreachable\":[]}"), json);
    }

    @Test
    void jsonHoldsEverySectionWithItsStringsEscaped() {
        Site site = new Site(7, List.of(new StackTraceElement("a.B", "m", "B.java", 3),
                new StackTraceElement("c.D", "n\"q", null, -1)), "main\tthread");
        LeakReport report = new LeakReport("dl\\x", Level.FULL, 3, 271,
                List.of(new SiteLeaks(site, 2, 200, 5_000_000), new SiteLeaks(site, 1, 71, -1)),
                List.of(new MemoryError(MemoryError.Kind.OVERFLOW, 0x1000, 16, 17, site, site, site, "bad\nwrite")),
                List.of(new HandleLeak("Buf\u0001", 0xabc, 64, site)));
        String stack = "[\"a.B.m(B.java:3)\",\"c.D.n\\\"q(Unknown Source)\"]";
        assertEquals("{\"allocator\":\"dl\\\\x\",\"level\":\"FULL\",\"blocks\":3,\"bytes\":271,\"sites\":["
                + "{\"id\":7,\"blocks\":2,\"bytes\":200,\"oldestAgeMillis\":5,\"thread\":\"main\\tthread\",\"stack\":" + stack + "},"
                + "{\"id\":7,\"blocks\":1,\"bytes\":71,\"oldestAgeMillis\":-1,\"thread\":\"main\\tthread\",\"stack\":" + stack + "}],"
                + "\"errors\":[{\"kind\":\"OVERFLOW\",\"address\":\"0x1000\",\"size\":16,\"offset\":17,\"message\":\"bad\\nwrite\","
                + "\"allocated\":" + stack + ",\"freed\":" + stack + ",\"detected\":" + stack + "}],"
                + "\"unreachable\":[{\"type\":\"Buf\\u0001\",\"address\":\"0xabc\",\"bytes\":64,\"stack\":" + stack + "}]}",
                report.toJson());
    }

    @Test
    void diffShowsWhichSitesGrew() {
        try (LeakTracker tracker = full()) {
            long a = small(tracker);
            Snapshot before = tracker.snapshot();
            long[] grown = new long[2];
            for (int i = 0; i < 2; i++) {
                grown[i] = large(tracker);
            }
            tracker.free(a);
            Snapshot after = tracker.snapshot();
            List<SiteDelta> diff = LeakTracker.diff(before, after);
            assertEquals(2, diff.size());
            assertEquals(2000, diff.get(0).bytes());
            assertEquals(2, diff.get(0).blocks());
            assertEquals(-10, diff.get(1).bytes());
            assertTrue(Snapshot.format(diff).contains("+2000 bytes in +2 blocks at org.allockit.leak.ReportTest.large"),
                    Snapshot.format(diff));
            tracker.free(grown[0]);
            tracker.free(grown[1]);
        }
    }

    @Test
    void reportsAtExitOnlyWhileOpen() {
        LeakTracker tracker = LeakTracker.wrap(Allocators.create("malloc"),
                LeakOptions.of(Level.COUNT).withReportAtExit(true).withLog(m -> { }));
        tracker.close();   // removes its exit hook: a second removal would fail if it were still there
        assertTrue(tracker.report().clean());
    }
}

package org.allockit.bench.shootout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.allockit.core.HeapVisitor.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapMapTest {

    private static HeapMap map() {
        HeapMap map = new HeapMap();
        map.range(0x1000, 100, State.IN_USE);
        map.range(0x1064, 100, State.FREE);
        map.range(0x9000, 200, State.IN_USE);
        return map;
    }

    @Test
    void slicesTakeTheStateCoveringMostOfEachRun() {
        HeapMap map = map();
        assertEquals(400, map.totalBytes());
        assertEquals(300, map.bytes(State.IN_USE));
        assertEquals(3, map.ranges());
        assertArrayEquals(new State[] {State.IN_USE, State.FREE, State.IN_USE, State.IN_USE}, map.slices(4));
        assertArrayEquals(new State[] {State.IN_USE}, map.slices(1));
        assertEquals(null, new HeapMap().slices(3)[0], "an empty map has nothing to show");
    }

    @Test
    void theImageColoursEachPixelColumnByState() throws IOException {
        byte[] png = Charts.heapMap("test after traverse", map());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(Charts.MAP_COLUMNS + 20, image.getWidth());
        int row = 27;
        assertEquals(Charts.COLOURS.get(State.IN_USE).getRGB(), image.getRGB(10, row));
        assertEquals(Charts.COLOURS.get(State.FREE).getRGB(), image.getRGB(10 + Charts.MAP_COLUMNS / 4, row + 8 * Charts.MAP_ROW_PIXELS));
    }

    @Test
    void theReportShowsAHeapMapForEachAllocatorThatWalks(@TempDir Path folder) throws IOException {
        Cell cell = new Cell("walker", "traverse", 1);
        Measurement m = new Measurement(cell, 5, 100, 500, 4096, 1000, 0, 0, "", List.of(), map(), null);
        Results results = Results.of(Machine.current(), Instant.now(), List.of(m), Map.of("traverse", "walk a list"));
        Shootout shootout = new Shootout(new Plan(List.of("walker"), List.of("traverse"), Duration.ZERO, Duration.ZERO, 1));
        Report.write(results, shootout, "test", folder);
        assertTrue(Files.size(folder.resolve("heap-walker-traverse.png")) > 500);
        assertTrue(Files.readString(folder.resolve("report.md")).contains("![walker after traverse](heap-walker-traverse.png)"));
    }
}

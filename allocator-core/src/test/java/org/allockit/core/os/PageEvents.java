package org.allockit.core.os;

import java.util.ArrayList;
import java.util.List;
import org.allockit.core.MemoryProbe;

/** A probe that records the page events it sees as text ("reserve 8192", "release 4096", "huge 8192"); ignores metadata. */
final class PageEvents implements MemoryProbe {

    final List<String> events = new ArrayList<>();

    @Override
    public void metadataRead(long address, int size) {
    }

    @Override
    public void metadataWrite(long address, int size) {
    }

    @Override
    public void pagesReserved(long address, long bytes) {
        events.add("reserve " + bytes);
    }

    @Override
    public void pagesReleased(long address, long bytes) {
        events.add("release " + bytes);
    }

    @Override
    public void hugePages(long address, long bytes) {
        events.add("huge " + bytes);
    }
}

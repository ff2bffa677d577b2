package org.allockit.core.os;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A page source that refuses reservations on demand, for testing how allocators run out of memory:
 * after a number of successful reservations, above a size, or once the total reserved passes a
 * limit. Refusals look like the kernel's ({@code ENOMEM}). Everything else goes to the wrapped
 * source. Thread-safe.
 */
public final class FailingPageSource implements PageSource {

    private final PageSource delegate;
    private final long reservationsAllowed;
    private final long largestReservation;
    private final long totalLimit;
    private final AtomicLong reservations = new AtomicLong();
    /** Bytes reserved through this source and not released: the total the limit applies to. */
    private final AtomicLong reserved = new AtomicLong();

    private FailingPageSource(PageSource delegate, long reservationsAllowed, long largestReservation, long totalLimit) {
        this.delegate = delegate;
        this.reservationsAllowed = reservationsAllowed;
        this.largestReservation = largestReservation;
        this.totalLimit = totalLimit;
    }

    /** Allows {@code n} reservations, then refuses every one. */
    public static FailingPageSource failAfter(PageSource delegate, long n) {
        return new FailingPageSource(delegate, n, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Refuses any single reservation larger than {@code bytes}. */
    public static FailingPageSource failAbove(PageSource delegate, long bytes) {
        return new FailingPageSource(delegate, Long.MAX_VALUE, bytes, Long.MAX_VALUE);
    }

    /** Refuses any reservation that would take the total reserved through this source above {@code bytes}. */
    public static FailingPageSource limitTotal(PageSource delegate, long bytes) {
        return new FailingPageSource(delegate, Long.MAX_VALUE, Long.MAX_VALUE, bytes);
    }

    @Override
    public long pageSize() {
        return delegate.pageSize();
    }

    @Override
    public long reserve(long bytes, long alignment) {
        if (bytes > largestReservation) {
            throw new PageSourceException("reserve(" + bytes + "): refused above " + largestReservation + " bytes",
                    PageSourceException.ENOMEM);
        }
        if (reserved.get() + bytes > totalLimit) {
            throw new PageSourceException("reserve(" + bytes + "): refused beyond a total of " + totalLimit + " bytes",
                    PageSourceException.ENOMEM);
        }
        if (reservations.incrementAndGet() > reservationsAllowed) {
            throw new PageSourceException("reserve(" + bytes + "): refused after " + reservationsAllowed + " reservations",
                    PageSourceException.ENOMEM);
        }
        long address = delegate.reserve(bytes, alignment);
        reserved.addAndGet(bytes);
        return address;
    }

    /** Growth is refused like a reservation of the added bytes would be; shrinking always succeeds. */
    @Override
    public long resize(long address, long oldBytes, long newBytes) {
        long added = newBytes - oldBytes;
        if (added > 0 && (added > largestReservation || reserved.get() + added > totalLimit
                || reservations.incrementAndGet() > reservationsAllowed)) {
            throw new PageSourceException("resize(" + oldBytes + " -> " + newBytes + "): refused",
                    PageSourceException.ENOMEM);
        }
        long moved = delegate.resize(address, oldBytes, newBytes);
        if (moved != 0) {
            reserved.addAndGet(added);
        }
        return moved;
    }

    @Override
    public void release(long address, long bytes) {
        delegate.release(address, bytes);
        reserved.addAndGet(-bytes);
    }

    @Override
    public void decommit(long address, long bytes) {
        delegate.decommit(address, bytes);
    }

    @Override
    public void lazyFree(long address, long bytes) {
        delegate.lazyFree(address, bytes);
    }

    @Override
    public void adviseHugePages(long address, long bytes) {
        delegate.adviseHugePages(address, bytes);
    }

    /** Bytes reserved through this source (not the wrapped source's total, which other users move). */
    @Override
    public long reservedBytes() {
        return reserved.get();
    }
}

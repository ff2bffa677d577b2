package org.allockit.core.tc;

/**
 * An intrusive doubly linked list of spans through their {@code prev}/{@code next} links: no node
 * objects, O(1) insert and remove. A span is in at most one list. Guarded by the lock of its owner
 * (the page heap or a central free list).
 */
final class SpanList {

    private Span first;
    private int size;

    boolean isEmpty() {
        return first == null;
    }

    Span first() {
        return first;
    }

    int size() {
        return size;
    }

    void push(Span span) {
        span.prev = null;
        span.next = first;
        if (first != null) {
            first.prev = span;
        }
        first = span;
        size++;
    }

    void remove(Span span) {
        if (span.prev != null) {
            span.prev.next = span.next;
        } else {
            first = span.next;
        }
        if (span.next != null) {
            span.next.prev = span.prev;
        }
        span.prev = null;
        span.next = null;
        size--;
    }
}

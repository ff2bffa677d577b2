package org.allockit.bench.contender;

/** A contender that cannot free ran out of the memory it may use; the run stops there and says so. */
public final class ExhaustedException extends RuntimeException {

    public ExhaustedException(String message) {
        super(message);
    }
}

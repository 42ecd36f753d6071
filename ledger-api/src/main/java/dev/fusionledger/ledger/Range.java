package dev.fusionledger.ledger;

/**
 * An inclusive range of allowed integer values, {@code min..max}.
 *
 * @param min smallest allowed value
 * @param max largest allowed value
 */
public record Range(long min, long max) {

    /** @return whether {@code v} is in {@code min..max} */
    public boolean contains(long v) {
        return v >= min && v <= max;
    }

    /**
     * @return {@code v}
     * @throws MarketException INVALID_ARGUMENT {@code "<field>: must be in min..max, got v"} outside the range
     */
    public long check(String field, long v) {
        if (!contains(v)) {
            throw MarketException.invalid(field, "must be in " + this + ", got " + v);
        }
        return v;
    }

    /** @return {@code v} as an int, checked like {@link #check} */
    public int checkInt(String field, long v) {
        return (int) check(field, v);
    }

    /** @return {@code "min..max"} */
    @Override
    public String toString() {
        return min + ".." + max;
    }
}

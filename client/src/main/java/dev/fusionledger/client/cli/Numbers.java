package dev.fusionledger.client.cli;

import dev.fusionledger.ledger.Limits;
import dev.fusionledger.ledger.Range;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the market's integer options: text that is not a decimal integer, or one
 * beyond a 64-bit long (2^63 and up), is reported with the option's allowed range from
 * {@link Limits} (docs/ledger-api.md), e.g. {@code must be an integer in 1..1000000000000000, got
 * '9223372036854775808'}. Values that parse but fall outside the range are left to the SDK's and
 * the chaincode's checks, which name the field.
 */
public final class Numbers {
    private Numbers() {
    }

    static long parse(String text, Range range) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("must be an integer in " + range + ", got '"
                    + FusionLedgerCli.printable(dev.fusionledger.ledger.Checks.clip(text)) + "'");
        }
    }

    static int parseInt(String text, Range range) {
        long v = parse(text, range);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new TypeConversionException("must be in " + range + ", got " + v);
        }
        return (int) v;
    }

    /** Credits 1..10^15 (mint, transfer, price, budget). */
    public static final class Amount implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, Limits.AMOUNT);
        }
    }

    /** Credits that may be zero, 0..10^15 (fees, stakes). */
    static final class AmountOrZero implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, Limits.AMOUNT_OR_ZERO);
        }
    }

    /** Data points 1..10^12. */
    public static final class DataPoints implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, Limits.DATA_POINTS);
        }
    }

    /** Seconds 1..31536000. */
    static final class Seconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, Limits.SECONDS);
        }
    }

    /** Basis points 0..10000. */
    static final class Bps implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseInt(value, Limits.BPS);
        }
    }

    /** Verifier quorum 1..100. */
    static final class Quorum implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseInt(value, Limits.QUORUM);
        }
    }

    /** Epochs 1..1000. */
    static final class Epochs implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseInt(value, Limits.EPOCHS);
        }
    }
}

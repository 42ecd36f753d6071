package dev.fusionledger.agent.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Error messages of the library name fields ({@code featureSize: ...}); the CLI names its flags ({@code --feature-size: ...}). */
final class Flags {
    private static final Pattern FIELD = Pattern.compile("^([a-z][A-Za-z]*):(.*)$", Pattern.DOTALL);

    private Flags() {}

    /** The same error with its leading field written as the option that sets it. */
    static IllegalArgumentException asFlag(IllegalArgumentException e) {
        Matcher m = FIELD.matcher(String.valueOf(e.getMessage()));
        if (!m.matches()) {
            return e;
        }
        String flag = m.group(1).replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        return new IllegalArgumentException("--" + flag + ":" + m.group(2), e);
    }
}

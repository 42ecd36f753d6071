package dev.fusionledger.console;

import dev.fusionledger.client.cli.CliExtension;
import java.util.List;

/** Adds {@code fusionledger console} to the command-line tool (found by {@link java.util.ServiceLoader}). */
public final class ConsoleExtension implements CliExtension {
    @Override
    public List<Object> commands() {
        return List.of(new ConsoleCommand());
    }
}

package dev.fusionledger.client.cli;

import java.util.List;

/**
 * Adds top-level commands to {@code fusionledger} from another module (the verifier and contributor
 * agents, the web console) without the client depending on it. Implementations are found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/dev.fusionledger.client.cli.CliExtension}
 * file in the module's jar); {@code bin/fusionledger} puts the built extension modules on the class path.
 */
public interface CliExtension {
    /**
     * The picocli command objects to add (classes annotated with {@code @Command}, usually extending
     * {@link FusionLedgerCli.Leaf} or grouping such leaves).
     */
    List<Object> commands();
}

package dev.fusionledger.client.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.InvalidArgumentException;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.MarketRuleException;
import dev.fusionledger.client.NotFoundException;
import dev.fusionledger.client.PermissionDeniedException;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.store.LocalModelStore;
import dev.fusionledger.client.store.ModelIntegrityException;
import dev.fusionledger.client.store.ModelNotFoundException;
import dev.fusionledger.client.store.ModelStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code fusionledger}: the command-line tool of the FusionLedger market. Tables by default,
 * {@code --json} for scripts; exit code 0 on success, otherwise one line on stderr naming the
 * problem and an exit code of {@link ExitCodes}.
 */
@Command(name = "fusionledger", mixinStandardHelpOptions = true, version = "fusionledger 0.1.0",
        description = "Use the FusionLedger cooperative-learning market: credits, tasks, bids, checkpoints,"
                + " verification votes, models and audits.",
        subcommands = {AccountCommands.class, TaskCommands.class, BidCommands.class, CheckpointCommands.class,
            VerifierCommands.class, ModelCommands.class, AuditCommands.class, EventCommands.class, KeyCommands.class},
        footer = {"", "Example:", "  fusionledger --org Org1 --user User1 task list --state BIDDING", "",
            "Exit codes: 0 ok, 1 unexpected error, 2 bad usage or input, 3 not found, 4 permission denied,",
            "  5 rejected by a market rule (phase, duplicate, funds), 6 profile/org/user problem,",
            "  7 network failure, 8 integrity failure (tampered model, audit mismatch)."})
public final class FusionLedgerCli implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Connection profile (default: $FUSIONLEDGER_NETWORK_DIR/connection-profile.json, "
                    + "else ~/.cache/fusionledger/network/connection-profile.json).")
    Path profile;

    @Option(names = "--org", scope = ScopeType.INHERIT, paramLabel = "ORG",
            description = "Organisation: MSP id (Org1MSP), short name (Org1) or domain (default: the profile's first).")
    String org;

    @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "USER", defaultValue = "User1",
            description = "User of the organisation: User1.., or Admin (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of tables.")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean verbose;

    @Option(names = "--endorse-retries", scope = ScopeType.INHERIT, paramLabel = "N", defaultValue = "0",
            description = "Retry an endorsement up to N times (0..50) when it failed only because the peers "
                    + "were a block apart (default: ${DEFAULT-VALUE}, never).")
    int endorseRetries;

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Model store directory (default: $FUSIONLEDGER_MODEL_STORE, else ~/.cache/fusionledger/models).")
    Path store;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", hidden = true,
            description = "Where the CLI keeps vote salts between commit and reveal (default ~/.cache/fusionledger/cli).")
    Path stateDir;

    @Spec
    CommandSpec spec;

    final ClientFactory factory;
    PrintWriter out;
    PrintWriter err;
    private FusionLedgerClient client;

    public FusionLedgerCli(ClientFactory factory) {
        this.factory = factory;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return ExitCodes.USAGE;
    }

    /** Entry point of the launcher. */
    public static void main(String[] args) {
        quietLibraryLogging(java.util.Arrays.asList(args).contains("--verbose"));
        System.exit(run(ClientFactory.gateway(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                args));
    }

    /**
     * gRPC and Netty log through java.util.logging; the CLI keeps stderr for its one-line errors,
     * so their records below SEVERE are shown only with --verbose.
     */
    static void quietLibraryLogging(boolean verbose) {
        java.util.logging.Logger.getLogger("").setLevel(verbose ? java.util.logging.Level.INFO
                : java.util.logging.Level.SEVERE);
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.SEVERE);
        }
    }

    /** Runs one command line; returns the exit code. */
    public static int run(ClientFactory factory, PrintWriter out, PrintWriter err, String... args) {
        FusionLedgerCli root = new FusionLedgerCli(factory);
        root.out = out;
        root.err = err;
        CommandLine cmd = new CommandLine(root);
        for (CliExtension extension : java.util.ServiceLoader.load(CliExtension.class)) {
            for (Object command : extension.commands()) {
                cmd.addSubcommand(command);
            }
        }
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        // `--votes @FILE` is the option's own file form (readJson), not picocli's argument file
        cmd.setExpandAtFiles(false);
        cmd.setExecutionStrategy(parsed -> {
            // picocli skips the unmatched-argument check when --help is given: `fusionledger nosuch --help`
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                if (!p.unmatched().isEmpty()) {
                    String what = p.commandSpec().subcommands().isEmpty() ? "argument" : "command";
                    err.println("fusionledger: unknown " + what + " '" + printable(p.unmatched().get(0)) + "' (see `"
                            + p.commandSpec().qualifiedName() + " --help`)");
                    err.flush();
                    return ExitCodes.USAGE;
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("fusionledger: " + printable(oneLine(ex.getMessage())) + " (see `"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help`)");
            err.flush();
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            int code = exitCode(ex);
            err.println("fusionledger: " + describe(ex));
            if (root.verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        try {
            return cmd.execute(args);
        } finally {
            root.closeClient();
            out.flush();
            err.flush();
        }
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof ClientFactory.ConfigException) {
            return ExitCodes.CONFIG;
        }
        if (ex instanceof RuleViolation rv) {
            return rv.exitCode;
        }
        if (ex instanceof InvalidArgumentException || ex instanceof IllegalArgumentException
                || ex instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        if (ex instanceof NotFoundException || ex instanceof ModelNotFoundException) {
            return ExitCodes.NOT_FOUND;
        }
        if (ex instanceof PermissionDeniedException) {
            return ExitCodes.DENIED;
        }
        if (ex instanceof MarketRuleException) {
            return ExitCodes.REJECTED;
        }
        if (ex instanceof LedgerException) {
            return ExitCodes.NETWORK;
        }
        if (ex instanceof ModelIntegrityException || ex instanceof IntegrityFailure) {
            return ExitCodes.INTEGRITY;
        }
        if (ex instanceof java.nio.file.NoSuchFileException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.ERROR;
    }

    static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            msg = (nsf.getReason() == null ? "file not found" : nsf.getReason()) + ": " + nsf.getFile();
        } else if (ex instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            msg = jsonProblem(jpe);
        }
        if (msg == null || msg.isBlank()) {
            msg = "unexpected error (run with --verbose for details)";
        }
        if (ex instanceof LedgerException le && le.transactionId() != null) {
            msg += " [tx " + le.transactionId() + "]";
        }
        return printable(oneLine(withoutClassNames(msg)));
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /**
     * {@code s} with every control character (C0, DEL, C1) written as {@code \\uXXXX}, so that ids
     * and values from the ledger or the command line cannot drive the terminal.
     */
    public static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            if (control && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    private static final java.util.regex.Pattern CLASS_NAME = java.util.regex.Pattern.compile(
            "`?\\b(?:java|javax|com\\.fasterxml|dev\\.fusionledger|org\\.hyperledger|io\\.grpc)"
                    + "(?:\\.[a-z_$][\\w$]*)*(?:\\.[A-Z][\\w$]*)+(?:<[^>]*>)?`?");

    /**
     * Replaces Java class names (a package of the JDK or of a library we use, then a capitalised
     * class name, e.g. Jackson's {@code `java.util.ArrayList<...>`}) by "a value"; file names such as
     * {@code java.json} are left alone.
     */
    static String withoutClassNames(String s) {
        return CLASS_NAME.matcher(s).replaceAll("a value");
    }

    /** The user-facing part of a Jackson error: its message without source location and internals. */
    static String jsonProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage();
        m = m.split("\n", 2)[0];
        m = m.replaceAll(" \\(code \\d+\\)", "");
        int at = m.indexOf(" at [Source");
        return withoutClassNames(at >= 0 ? m.substring(0, at) : m).strip();
    }

    /** The connected client (connected on first use, closed when the command ends). */
    public FusionLedgerClient client() throws Exception {
        if (client == null) {
            client = factory.connect(profile, org, user, endorseRetries);
        }
        return client;
    }

    /**
     * The model store of {@code --store}, else {@code $FUSIONLEDGER_MODEL_STORE}, else the IPFS node
     * that the profile names for the caller's organisation ({@code organizations[].modelStore}),
     * else ~/.cache/fusionledger/models.
     */
    public ModelStore modelStore() throws java.io.IOException {
        Path dir = store;
        String env0 = System.getenv("FUSIONLEDGER_MODEL_STORE");
        if (dir == null && (env0 == null || env0.isBlank())) {
            ModelStore ipfs = profileStore();
            if (ipfs != null) {
                return ipfs;
            }
        }
        if (dir == null) {
            String env = System.getenv("FUSIONLEDGER_MODEL_STORE");
            dir = env != null && !env.isBlank() ? Path.of(env)
                    : Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".cache", "fusionledger", "models");
        }
        return new LocalModelStore(dir);
    }

    /**
     * The caller's enrolment private key from the connection profile (to unwrap keys delivered to
     * it, docs/model-store.md), or null when the profile cannot be read or names no such user.
     */
    public java.security.PrivateKey enrolmentKey() {
        try {
            var p = dev.fusionledger.client.ConnectionProfile.load(profile != null ? profile : dev.fusionledger.client.ConnectionProfile.defaultPath());
            return dev.fusionledger.client.seal.InitiatorKeys.readPrivateKey(
                    Path.of(dev.fusionledger.client.ConnectionProfile.user(p.organization(org), user).privateKey()));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The recipients' enrolment public keys, from the connection profile's users. */
    public dev.fusionledger.client.seal.RecipientKeys recipientKeys() throws java.io.IOException {
        return new dev.fusionledger.client.seal.ProfileCertificates(
                dev.fusionledger.client.ConnectionProfile.load(profile != null ? profile : dev.fusionledger.client.ConnectionProfile.defaultPath()));
    }

    /** The IPFS store of the caller's organisation in the profile, or null when the profile names none or cannot be read. */
    private ModelStore profileStore() {
        try {
            Path p = profile != null ? profile : dev.fusionledger.client.ConnectionProfile.defaultPath();
            if (!java.nio.file.Files.isRegularFile(p)) {
                return null;
            }
            return dev.fusionledger.client.store.ModelStores.ipfs(dev.fusionledger.client.ConnectionProfile.load(p), org);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Where the CLI keeps state between calls (vote salts): {@code --state-dir}, else ~/.cache/fusionledger/cli. */
    public Path stateDir() {
        return stateDir != null ? stateDir : Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".cache", "fusionledger", "cli");
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Prints {@code value} as JSON. */
    public void printJson(Object value) throws Exception {
        out.println(JSON.writeValueAsString(value));
        out.flush();
    }

    /** Prints a submit result: JSON of the value, or the given table plus the transaction id. */
    public void printSubmitted(Submitted<?> s, Table table) throws Exception {
        if (json) {
            ObjectNode n = JSON.createObjectNode();
            n.put("transactionId", s.transactionId());
            n.put("blockNumber", s.blockNumber());
            n.set("result", JSON.valueToTree(s.value()));
            printJson(n);
        } else {
            table.print(out);
            out.println("transaction " + s.transactionId() + " committed in block " + s.blockNumber());
            out.flush();
        }
    }

    /**
     * Parses a JSON argument or {@code @FILE} (a file's text).
     *
     * @throws IllegalArgumentException naming {@code field}: the file is missing or unreadable, or the
     *     text is not one JSON value
     */
    static JsonNode readJson(String field, String value) {
        return parseJson(field, readArgument(field, value));
    }

    /**
     * The text of an argument: {@code value} itself, or the contents of FILE for {@code @FILE}.
     *
     * @throws IllegalArgumentException naming {@code field} when the file is missing or unreadable
     */
    static String readArgument(String field, String value) {
        if (!value.startsWith("@")) {
            return value;
        }
        Path file = Path.of(value.substring(1));
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(field + ": file not found: " + file, e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(field + ": " + file + " is not UTF-8 text", e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(field + ": cannot read " + file + " (" + oneLine(e.getMessage()) + ")", e);
        }
    }

    /**
     * Parses with the chaincode's strict reader ({@link dev.fusionledger.ledger.LedgerJson#MAPPER}:
     * duplicate keys and trailing text are errors), so the CLI never sends a silently repaired copy.
     */
    static JsonNode parseJson(String field, String text) {
        try {
            JsonNode n = dev.fusionledger.ledger.LedgerJson.MAPPER.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new IllegalArgumentException(field + ": not valid JSON (empty)");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(field + ": not valid JSON (" + jsonProblem(e) + ")", e);
        }
    }

    static <T> T readJson(String field, String value, TypeReference<T> type) {
        JsonNode n = readJson(field, value);
        try {
            return JSON.convertValue(n, type);
        } catch (IllegalArgumentException e) {
            Throwable c = e;
            while (c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            String msg = c instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jsonProblem(jpe)
                    : c instanceof IllegalArgumentException ? c.getMessage()
                    : oneLine(c.getMessage()).split(" at \\[")[0];
            throw new IllegalArgumentException(field + ": " + msg, e);
        }
    }

    /**
     * A market rule the CLI checked before sending (so that nothing is sent or saved that the
     * chaincode would reject later); carries its exit code ({@link ExitCodes#DENIED} or
     * {@link ExitCodes#REJECTED}).
     */
    static final class RuleViolation extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        RuleViolation(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** Thrown when the command found an integrity problem (exit {@value ExitCodes#INTEGRITY}). */
    public static final class IntegrityFailure extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param message what does not match what */
        public IntegrityFailure(String message) {
            super(message);
        }

        /** @param message what does not match what; @param cause the check that failed */
        public IntegrityFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Base of a command that does one thing: it reaches the root's options (profile, identity, store,
     * {@code --json}) through {@link #root()}; an exception it throws becomes the one-line error and
     * the exit code of {@link ExitCodes}. Commands of a {@link CliExtension} extend it too.
     */
    public abstract static class Leaf implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** The {@code fusionledger} command this one runs under. */
        protected FusionLedgerCli root() {
            return (FusionLedgerCli) spec.root().userObject();
        }

        /** Where the command prints its result. */
        protected PrintWriter out() {
            return root().out;
        }

        /** Where the command prints progress and warnings. */
        protected PrintWriter err() {
            return root().err;
        }

        /** Whether {@code --json} was given. */
        protected boolean json() {
            return root().json;
        }

        /** The caller's connected client (connected on first use). */
        protected FusionLedgerClient client() throws Exception {
            return root().client();
        }

        @Override
        public final Integer call() throws Exception {
            run();
            return ExitCodes.OK;
        }

        /** Does the command's work. */
        protected abstract void run() throws Exception;
    }

    /** Renders a throwable's stack trace as text (for tests). */
    static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }

    static List<String> csvList(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.split("\\s*,\\s*"));
    }
}

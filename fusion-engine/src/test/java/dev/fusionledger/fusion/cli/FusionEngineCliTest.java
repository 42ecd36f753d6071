package dev.fusionledger.fusion.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: help, and a tiny bench run that prints every figure (no speed is asserted). */
class FusionEngineCliTest {
    @Test
    void helpListsTheSubcommands() {
        CommandLine cmd = new CommandLine(new FusionEngineCli());
        java.io.StringWriter out = new java.io.StringWriter();
        cmd.setOut(new java.io.PrintWriter(out));
        assertThat(cmd.execute("--help")).isZero();
        assertThat(out.toString()).contains("serve").contains("bench");
        assertThat(cmd.execute("serve", "--port", "not-a-number")).isEqualTo(2);
    }

    @Test
    void benchPrintsItsFigures() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new FusionEngineCli()).execute("bench", "--rows", "3000", "--models", "3",
                    "--features", "8", "--batch", "256", "--repeat", "1");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).isZero();
        assertThat(out).contains("samples/s").contains("GFLOP/s over the training loop")
                .contains("reference sgemm").contains("goal >= 80 %");
    }
}

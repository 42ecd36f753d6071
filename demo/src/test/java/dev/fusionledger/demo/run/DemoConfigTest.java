package dev.fusionledger.demo.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.demo.model.Scenario;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoConfigTest {
    private static DemoConfig.Builder base() {
        return DemoConfig.builder().scenarios(List.of(Scenario.ALL_C1)).outDir(Path.of("out"))
                .profile(Path.of("profile.json")).fusionJar(Path.of("fusion.jar"));
    }

    @Test
    void acceptsTheDemoDefaults() {
        DemoConfig c = base().build();
        assertThat(c.scenarios()).containsExactly(Scenario.ALL_C1);
        assertThat(c.scale()).isEqualTo(1.0);
        assertThat(c.minOwnAccuracyBps()).isEqualTo(8000);
        assertThat(c.verifierConfig().fusionEpochs()).isEqualTo(c.fusionEpochs());
    }

    @Test
    void rejectsOutOfRangeFieldsNamingThem() {
        assertThatThrownBy(() -> base().scale(0).build()).hasMessageStartingWith("scale: must be in (0, 1]");
        assertThatThrownBy(() -> base().scale(1.5).build()).hasMessageContaining("got 1.5");
        assertThatThrownBy(() -> base().localEpochs(0).build()).hasMessage("localEpochs: must be in 1..1000, got 0");
        assertThatThrownBy(() -> base().shiftPixels(5).build()).hasMessage("shiftPixels: must be in 0..4, got 5");
        assertThatThrownBy(() -> base().mafrBps(10001).build()).hasMessage("mafrBps: must be in 0..10000, got 10001");
        assertThatThrownBy(() -> base().minContributionBps(-10001).build())
                .hasMessage("minContributionBps: must be in -10000..10000, got -10001");
        assertThatThrownBy(() -> base().minOwnAccuracyBps(-1).build())
                .hasMessage("minOwnAccuracyBps: must be in 0..10000, got -1");
        assertThatThrownBy(() -> base().fusionLearningRate(0f).build())
                .hasMessage("fusionLearningRate: must be in (0, 10], got 0.0");
        assertThatThrownBy(() -> base().shapleyPermutations(0).build())
                .hasMessage("shapleyPermutations: must be in 1..1000, got 0");
        assertThatThrownBy(() -> base().duplicateAgreementBps(5000).build())
                .hasMessage("duplicateAgreementBps: must be in 5001..10000, got 5000");
        assertThatThrownBy(() -> base().fusionPort(70000).build()).hasMessage("fusionPort: must be in 1..65535, got 70000");
        assertThatThrownBy(() -> base().scenarios(List.of()).build()).hasMessageStartingWith("scenarios:");
        assertThatThrownBy(() -> base().fusionJar(null).build()).hasMessageContaining("required");
    }

    @Test
    void basisPointsRoundFractions() {
        assertThat(DemoRunner.bps(0.98765)).isEqualTo(9877);
        assertThat(DemoRunner.bps(-0.00004)).isZero();
        assertThat(DemoRunner.bps(-0.0123)).isEqualTo(-123);
        assertThat(DemoRunner.bps(1.7)).isEqualTo(10000);
    }
}

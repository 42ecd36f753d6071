package dev.fusionledger.demo.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.demo.model.Scenario;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoConfigTest {
    private static DemoConfig cfg(double scale, int localEpochs, int mafr, int minContribution, String measure, int port) {
        return new DemoConfig(List.of(Scenario.ALL_C1), scale, localEpochs, 3, 2, 40, 50, mafr, minContribution, measure,
                42, Path.of("out"), port, Path.of("profile.json"), Path.of("fusion.jar"));
    }

    @Test
    void acceptsTheDemoDefaults() {
        DemoConfig c = cfg(1.0, 30, 9000, 800, "shapley", 50061);
        assertThat(c.scenarios()).containsExactly(Scenario.ALL_C1);
        assertThat(c.scale()).isEqualTo(1.0);
    }

    @Test
    void rejectsOutOfRangeFieldsNamingThem() {
        assertThatThrownBy(() -> cfg(0, 30, 9000, 800, "shapley", 50061)).hasMessageStartingWith("scale: must be in (0, 1]");
        assertThatThrownBy(() -> cfg(1.5, 30, 9000, 800, "shapley", 50061)).hasMessageContaining("got 1.5");
        assertThatThrownBy(() -> cfg(1, 0, 9000, 800, "shapley", 50061)).hasMessage("localEpochs: must be in 1..1000, got 0");
        assertThatThrownBy(() -> cfg(1, 30, 10001, 800, "shapley", 50061)).hasMessage("mafrBps: must be in 0..10000, got 10001");
        assertThatThrownBy(() -> cfg(1, 30, 9000, -10001, "shapley", 50061))
                .hasMessage("minContributionBps: must be in -10000..10000, got -10001");
        assertThatThrownBy(() -> cfg(1, 30, 9000, 800, "median", 50061)).hasMessageStartingWith("contributionMeasure:");
        assertThatThrownBy(() -> cfg(1, 30, 9000, 800, "loo", 70000)).hasMessage("fusionPort: must be in 1..65535, got 70000");
        assertThatThrownBy(() -> new DemoConfig(List.of(), 1, 30, 3, 2, 40, 50, 9000, 800, "loo", 42, Path.of("o"), 1,
                Path.of("p"), Path.of("j"))).hasMessageStartingWith("scenarios:");
    }

    @Test
    void fusionDataRejectsMisshapedFeatures() {
        assertThatThrownBy(() -> new FusionClient.Data(List.of(new float[25]), new int[3]))
                .hasMessage("features[0]: must be [3 x 10], got 25 values");
        assertThat(new FusionClient.Data(List.of(new float[30]), new int[3]).labels()).hasSize(3);
    }

    @Test
    void basisPointsRoundFractions() {
        assertThat(DemoRunner.bps(0.98765)).isEqualTo(9877);
        assertThat(DemoRunner.bps(-0.00004)).isZero();
        assertThat(DemoRunner.bps(-0.0123)).isEqualTo(-123);
    }
}

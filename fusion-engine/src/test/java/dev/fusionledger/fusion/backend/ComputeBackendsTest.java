package dev.fusionledger.fusion.backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backend selection by name, and the one-line refusal of a backend that is not there. */
class ComputeBackendsTest {

    @Test
    void namesSelectTheirBackends() {
        assertThat(ComputeBackends.create("blas")).isInstanceOf(CpuBlasBackend.class);
        assertThat(ComputeBackends.create(" Java ")).isInstanceOf(JavaReferenceBackend.class);
        assertThat(ComputeBackends.create(null)).isInstanceOf(CpuBlasBackend.class);
    }

    @Test
    void tornadoWithoutItsModuleSaysWhatIsMissing() {
        // fusion-engine's own tests never have fusion-engine-tornado on the class path
        assertThatThrownBy(() -> ComputeBackends.create("tornado"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageStartingWith("tornado: ")
                .hasMessageContaining("fusion-engine-tornado")
                .hasMessageContaining("TORNADO_SDK")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unknownNameListsTheAllowedOnes() {
        assertThatThrownBy(() -> ComputeBackends.create("cuda"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backend: one of [blas, java, tornado], got 'cuda'");
    }
}

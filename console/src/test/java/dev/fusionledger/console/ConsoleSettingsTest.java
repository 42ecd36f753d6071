package dev.fusionledger.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConsoleSettingsTest {
    @Test
    void loopbackNeedsNoToken() {
        assertThat(new ConsoleSettings("127.0.0.1", 8470, null).token()).isNull();
        assertThat(new ConsoleSettings("localhost", 0, "").token()).isNull();
    }

    @Test
    void anyOtherAddressNeedsALongEnoughToken() {
        assertThatThrownBy(() -> new ConsoleSettings("0.0.0.0", 8470, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("token: required");
        assertThatThrownBy(() -> new ConsoleSettings("0.0.0.0", 8470, "short"))
                .hasMessageStartingWith("token: must have at least 16");
        assertThat(new ConsoleSettings("0.0.0.0", 8470, "0123456789abcdef").token()).hasSize(16);
    }

    @Test
    void portAndHostAreChecked() {
        assertThatThrownBy(() -> new ConsoleSettings("127.0.0.1", 65536, null)).hasMessage("port: must be in 0..65535, got 65536");
        assertThatThrownBy(() -> new ConsoleSettings(" ", 1, null)).hasMessageStartingWith("host: ");
    }
}

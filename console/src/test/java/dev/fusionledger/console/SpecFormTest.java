package dev.fusionledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.ledger.TaskSpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecFormTest {
    static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>(SpecForm.DEFAULTS);
        m.put("verificationDataHash", "ab".repeat(32));
        return m;
    }

    @Test
    void validFormGivesTheSpecTheChaincodeWouldParse() {
        SpecForm f = SpecForm.read(valid()::get);
        assertThat(f.errors()).isEmpty();
        assertThat(f.valid()).isTrue();
        TaskSpec s = f.spec();
        assertThat(s.labels()).hasSize(10);
        assertThat(s.inputShape()).containsExactly(28, 28, 1);
        assertThat(s.recommendedModelHash()).isNull();
        assertThat(s.escrowRequired()).isEqualTo(10_000 + 3 * 100);
    }

    @Test
    void everyBadFieldGetsItsOwnMessageWithTheValidatorsRange() {
        Map<String, String> m = valid();
        m.put("labels", "a,a");
        m.put("inputShape", "28,x");
        m.put("mafrBps", "10001");
        m.put("verifierQuorum", "");
        m.put("rewardBudget", "99999999999999999999999");
        m.put("recommendedModelHash", "ABC");
        SpecForm f = SpecForm.read(m::get);
        assertThat(f.valid()).isFalse();
        assertThat(f.spec()).isNull();
        assertThat(f.errors()).containsOnlyKeys("labels", "inputShape", "recommendedModelHash", "mafrBps",
                "rewardBudget", "verifierQuorum");
        assertThat(f.error("labels")).contains("duplicate label 'a'");
        assertThat(f.error("inputShape")).contains("\"x\"");
        assertThat(f.error("mafrBps")).contains("10000").contains("10001");
        assertThat(f.error("verifierQuorum")).isEqualTo("is required");
        assertThat(f.error("rewardBudget")).contains("99999999999999999999999");
        // the values stay as typed, for the form to show them again
        assertThat(f.value("inputShape")).isEqualTo("28,x");
    }

    @Test
    void optionalFieldsMayStayEmpty() {
        Map<String, String> m = valid();
        m.put("minOwnAccuracyBps", "");
        m.put("recommendedModelHash", "");
        SpecForm f = SpecForm.read(m::get);
        assertThat(f.errors()).isEmpty();
        assertThat(f.spec().minOwnAccuracyBps()).isZero();
    }

    @Test
    void aLedgerRejectionIsShownAtItsField() {
        SpecForm f = SpecForm.read(valid()::get);
        f.reject("rewardBudget", "INSUFFICIENT_FUNDS: balance 5");
        f.reject("balance", "something else");
        assertThat(f.error("rewardBudget")).contains("INSUFFICIENT_FUNDS");
        assertThat(f.error("form")).isEqualTo("something else");
        assertThat(f.valid()).isFalse();
    }
}

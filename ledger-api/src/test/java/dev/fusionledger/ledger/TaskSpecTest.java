package dev.fusionledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one validator of a task spec: JSON checks of {@link TaskSpec#parse} and the ranges of {@link TaskSpec#validate}. */
class TaskSpecTest {
    static final String SPEC = "{\"labels\":[\"0\",\"1\"],\"inputShape\":[28,28,1],\"verificationDataHash\":\""
            + "c".repeat(64) + "\",\"mafrBps\":9000,\"minContributionBps\":0,\"requiredDataPoints\":1000,"
            + "\"rewardBudget\":100000,\"verifierFee\":100,\"verifierQuorum\":3,\"verifierStake\":50,\"maxEpochs\":2,"
            + "\"epochSeconds\":60,\"latePenaltyBps\":1000,\"biddingSeconds\":60,\"commitSeconds\":60,\"revealSeconds\":60}";

    static String with(String field, String value) {
        return SPEC.replaceFirst("\"" + field + "\":[^,}]+", "\"" + field + "\":" + value);
    }

    @Test
    void minOwnAccuracyIsOptionalAndDefaultsToZero() {
        TaskSpec s = TaskSpec.parse(SPEC);
        assertThat(s.minOwnAccuracyBps()).isZero();
        assertThat(s.recommendedModelHash()).isNull();
        assertThat(TaskSpec.parse(SPEC.replace("{", "{\"minOwnAccuracyBps\":9000,")).minOwnAccuracyBps()).isEqualTo(9000);
        assertThat(TaskSpec.parse(SPEC.replace("{", "{\"minOwnAccuracyBps\":null,")).minOwnAccuracyBps()).isZero();
        assertThat(LedgerJson.text(s)).contains("\"minContributionBps\":0,\"minOwnAccuracyBps\":0,\"requiredDataPoints\"")
                .contains("\"recommendedModelHash\":null");
        assertThat(TaskSpec.parse(LedgerJson.text(s))).isEqualTo(s);
        assertThat(s.escrowRequired()).isEqualTo(100_300);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "minOwnAccuracyBps; -1; INVALID_ARGUMENT: minOwnAccuracyBps: must be in 0..10000, got -1",
        "minOwnAccuracyBps; 10001; INVALID_ARGUMENT: minOwnAccuracyBps: must be in 0..10000, got 10001",
        "minOwnAccuracyBps; 0.5; INVALID_ARGUMENT: minOwnAccuracyBps: must be an integer in 0..10000, got 0.5",
        "minOwnAccuracyBps; \"90\"; INVALID_ARGUMENT: minOwnAccuracyBps: must be an integer in 0..10000, got \"90\"",
        "minContributionBps; -1; INVALID_ARGUMENT: minContributionBps: must be in 0..10000, got -1",
        "mafrBps; 12000; INVALID_ARGUMENT: mafrBps: must be in 0..10000, got 12000",
        "verifierQuorum; 101; INVALID_ARGUMENT: verifierQuorum: must be in 1..100, got 101",
        "epochSeconds; 31536001; INVALID_ARGUMENT: epochSeconds: must be in 1..31536000, got 31536001"})
    void badValuesNameTheFieldAndTheRange(String field, String value, String message) {
        String json = SPEC.contains("\"" + field + "\"") ? with(field, value) : SPEC.replace("{", "{\"" + field + "\":" + value + ",");
        assertThatThrownBy(() -> TaskSpec.parse(json)).isInstanceOf(MarketException.class).hasMessage(message);
    }

    @Test
    void theRecordPathRunsTheSameRanges() {
        TaskSpec s = TaskSpec.parse(SPEC);
        TaskSpec negative = new TaskSpec(s.labels(), s.inputShape(), s.verificationDataHash(), null, 9000, -1, 0,
                1000, 100000, 100, 3, 50, 2, 60, 1000, 60, 60, 60);
        assertThatThrownBy(negative::validate).hasMessage("INVALID_ARGUMENT: minContributionBps: must be in 0..10000, got -1");
        TaskSpec own = new TaskSpec(s.labels(), s.inputShape(), s.verificationDataHash(), null, 9000, 0, 10_001,
                1000, 100000, 100, 3, 50, 2, 60, 1000, 60, 60, 60);
        assertThatThrownBy(own::validate).hasMessage("INVALID_ARGUMENT: minOwnAccuracyBps: must be in 0..10000, got 10001");
        TaskSpec dupes = new TaskSpec(List.of("a", "a"), s.inputShape(), s.verificationDataHash(), null, 9000, 0, 0,
                1000, 100000, 100, 3, 50, 2, 60, 1000, 60, 60, 60);
        assertThatThrownBy(dupes::validate).hasMessage("INVALID_ARGUMENT: labels: duplicate label 'a'");
    }

    @Test
    void unknownDuplicateAndMissingFieldsAreRejected() {
        assertThatThrownBy(() -> TaskSpec.parse(SPEC.replace("{", "{\"bonus\":1,")))
                .isInstanceOfSatisfying(MarketException.class, e -> assertThat(e.field()).isEqualTo("bonus"));
        assertThatThrownBy(() -> TaskSpec.parse(SPEC.replace("{", "{\"mafrBps\":1,")))
                .isInstanceOfSatisfying(MarketException.class, e -> assertThat(e.field()).isEqualTo("specJson"));
        assertThatThrownBy(() -> TaskSpec.parse(SPEC.replace("\"rewardBudget\":100000,", "")))
                .hasMessage("INVALID_ARGUMENT: rewardBudget: is required");
    }
}

package dev.fusionledger.demo.model;

import dev.fusionledger.agent.model.CnnArchitecture;

/**
 * Which architecture each contributor trains (demo/README.md): in Scenario I contributor {@code Ck}
 * trains its own Table I network {@code Ck}; in Scenario II every contributor trains C1's network,
 * which the initiator recommends by hash.
 */
public enum Scenario {
    /** Scenario I: contributor Ck trains architecture Ck. */
    OWN_ARCHITECTURES,
    /** Scenario II: every contributor trains architecture C1. */
    ALL_C1;

    /**
     * The architecture contributor {@code contributorId} trains in this scenario.
     *
     * @param contributorId {@code C1}..{@code C5}; in Scenario II any id (all train C1)
     * @throws IllegalArgumentException in Scenario I for an id other than C1..C5
     */
    public CnnArchitecture architectureFor(String contributorId) {
        if (this == ALL_C1) {
            return CnnArchitecture.C1;
        }
        for (CnnArchitecture a : CnnArchitecture.values()) {
            if (a.name().equals(contributorId)) {
                return a;
            }
        }
        throw new IllegalArgumentException("contributorId must be one of C1..C5 in Scenario I, got " + contributorId);
    }
}

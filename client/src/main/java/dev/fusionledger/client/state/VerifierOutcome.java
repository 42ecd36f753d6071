package dev.fusionledger.client.state;

/** How one drawn verifier was settled; amounts in credits. */
public record VerifierOutcome(String verifier, boolean revealed, long feePaid, long stakeReturned,
                              long stakeForfeited, long slashShare, long forfeitShare) {
}

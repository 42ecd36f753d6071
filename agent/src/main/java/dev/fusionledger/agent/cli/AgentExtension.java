package dev.fusionledger.agent.cli;

import dev.fusionledger.client.cli.CliExtension;
import java.util.List;

/** The agents' commands of {@code fusionledger}: verify, contribute, agent, pack-model (docs/agents.md). */
public final class AgentExtension implements CliExtension {
    static {
        // DJL's start-up notes (platform found, no CUDA, model path kind) are not the user's business;
        // the commands print their own one-line errors
        if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "error");
        }
    }

    @Override
    public List<Object> commands() {
        return List.of(new VerifyCommand(), new ContributeCommand(), new AgentCommand(), new PackModelCommand());
    }
}

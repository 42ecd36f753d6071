package dev.fusionledger.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.Checkpointer;
import org.hyperledger.fabric.client.CloseableIterator;

/**
 * A blocking stream of the market's chaincode events in ledger order. With a checkpointer (e.g. a
 * Fabric {@code FileCheckpointer}), call {@link #checkpoint(MarketEvent)} after processing each
 * event, or use {@link #forEachCheckpointed(Consumer)}; a stream opened later with the same
 * checkpoint file resumes right after the last checkpointed event: no event lost, none repeated.
 */
public final class MarketEventStream implements Iterator<MarketEvent>, AutoCloseable {
    private final CloseableIterator<ChaincodeEvent> events;
    private final Checkpointer checkpointer;
    private final AutoCloseable onClose;

    MarketEventStream(CloseableIterator<ChaincodeEvent> events, Checkpointer checkpointer, AutoCloseable onClose) {
        this.events = events;
        this.checkpointer = checkpointer;
        this.onClose = onClose;
    }

    /** Blocks until the next event arrives; {@code false} when the stream ended or was closed. */
    @Override
    public boolean hasNext() {
        return events.hasNext();
    }

    @Override
    public MarketEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("event stream ended");
        }
        return MarketEvent.of(events.next());
    }

    /**
     * Records {@code event} as processed, so a restarted stream starts after it.
     *
     * @throws IllegalStateException when the stream has no checkpointer
     * @throws UncheckedIOException  when the checkpoint cannot be written
     */
    public void checkpoint(MarketEvent event) {
        if (checkpointer == null) {
            throw new IllegalStateException("checkpoint: this event stream was opened without a checkpoint");
        }
        try {
            checkpointer.checkpointChaincodeEvent(event);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot record event " + event.transactionId(), e);
        }
    }

    /** Calls {@code handler} for each event, checkpointing each after the handler returns. */
    public void forEachCheckpointed(Consumer<MarketEvent> handler) {
        while (hasNext()) {
            MarketEvent e = next();
            handler.accept(e);
            if (checkpointer != null) {
                checkpoint(e);
            }
        }
    }

    /** Stops the stream (a thread blocked in {@link #hasNext()} returns) and closes the checkpoint file. */
    @Override
    public void close() {
        events.close();
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the event checkpoint failed", e);
            }
        }
    }
}

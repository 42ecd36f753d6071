package dev.fusionledger.console;

import java.util.List;
import java.util.Map;

/**
 * What every page shows around its content.
 *
 * @param title    the page title
 * @param identity the caller's account id {@code <mspId>::<identity>}
 * @param csrf     the form token POST forms carry
 * @param watch    which events refresh the page: {@code all}, a task id, or {@code none}
 * @param flash    a notice of the last action (e.g. its transaction id), or {@code null}
 * @param recent   the last market events, newest first
 */
public record Page(String title, String identity, String csrf, String watch, String flash,
                   List<Map<String, Object>> recent) {
}

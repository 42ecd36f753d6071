package dev.fusionledger.console.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven through
 * Selenium; screenshots go to {@code console/target/screenshots}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "screenshots");
    final ChromeDriver driver;
    final String base;

    Browser(String base) {
        this.base = base;
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    /** @return why the browser tests cannot run here, or {@code null} when they can */
    static String missing() {
        if (!Files.isExecutable(CHROMIUM)) {
            return CHROMIUM + " not found: install Debian's chromium (`apt-get install chromium chromium-driver`, as .ci/run does)";
        }
        if (!Files.isExecutable(DRIVER)) {
            return DRIVER + " not found: install Debian's chromium-driver";
        }
        return null;
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The element's text; read again when the page swapped its content in between (a live update). */
    String text(String css) {
        for (int attempt = 1;; attempt++) {
            try {
                return find(css).getText();
            } catch (org.openqa.selenium.WebDriverException e) {
                if (!swappedOut(e) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * Whether {@code e} says the element left the document between finding and using it (a live
     * update replaced it): Selenium's stale-element error, or ChromeDriver's "does not belong to the
     * document" for the same race.
     */
    private static boolean swappedOut(org.openqa.selenium.WebDriverException e) {
        return e instanceof StaleElementReferenceException
                || String.valueOf(e.getMessage()).contains("does not belong to the document");
    }

    /** Waits up to {@code seconds} for {@code condition} (the page updates itself meanwhile). */
    <T> T await(int seconds, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class).until(condition);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Marks the document: a reload would lose the mark. */
    void mark() {
        js("window.__consoleMark = 'kept';");
    }

    /** @return whether the document is the marked one (no reload since {@link #mark()}) */
    boolean stillMarked() {
        return "kept".equals(js("return window.__consoleMark || null;"));
    }

    /** Saves a screenshot of the whole page, beyond the window (Chromium's Page.captureScreenshot). */
    Path screenshot(String name) throws Exception {
        Files.createDirectories(SHOTS);
        Number w = (Number) js("return document.documentElement.scrollWidth;");
        Number h = (Number) js("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", w, "height",
                        Math.min(h.intValue(), 8000), "scale", 1)));
        Path p = SHOTS.resolve(name + ".png");
        Files.write(p, Base64.getDecoder().decode((String) shot.get("data")));
        return p;
    }

    /** Clicks the element; found again when the page swapped its content in between (a live update). */
    void click(String css) {
        for (int attempt = 1;; attempt++) {
            try {
                find(css).click();
                return;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (!swappedOut(e) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Clicks a link or submit button and waits until the browser has loaded the next page. */
    void navigate(String css) {
        WebElement page = find("html");
        click(css);
        new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage("the page after clicking " + css)
                .until(ExpectedConditions.stalenessOf(page));
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> "complete".equals(js("return document.readyState;")));
    }

    void type(String css, String value) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(value);
    }

    @Override
    public void close() {
        driver.quit();
    }
}

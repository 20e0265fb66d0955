package jp.tsunagu.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TsunaguConfigTest {

  @Test
  void defaultsFileAndEnvironmentApplyInThatOrder() {
    TsunaguConfig config = TsunaguConfig.of(Map.of("http.port", "9000", "db.poolSize", "3"),
        Map.of("TSUNAGU_HTTP_PORT", "9100"));
    assertEquals(9100, config.get(TsunaguConfig.HTTP_PORT));
    assertEquals(3, config.get(TsunaguConfig.DB_POOL_SIZE));
    assertEquals("tsunagu", config.get(TsunaguConfig.CLUSTER_NAME));
    assertEquals("http://localhost:9100", config.publicUrl());
    assertFalse(config.secureCookies());
  }

  @Test
  void environmentNamesAreUpperSnakeCase() {
    assertEquals("TSUNAGU_DB_URL", TsunaguConfig.DB_URL.environmentVariable());
    assertEquals("TSUNAGU_DB_POOL_SIZE", TsunaguConfig.DB_POOL_SIZE.environmentVariable());
    assertEquals("TSUNAGU_HTTP_PUBLIC_URL", TsunaguConfig.HTTP_PUBLIC_URL.environmentVariable());
  }

  @Test
  void badValuesAndUnknownKeysNameTheKey() {
    ConfigException port = assertThrows(ConfigException.class, () -> TsunaguConfig.of(Map.of(), Map.of("TSUNAGU_HTTP_PORT", "eighty")));
    assertTrue(port.getMessage().contains("http.port"), port.getMessage());
    ConfigException range = assertThrows(ConfigException.class, () -> TsunaguConfig.of(Map.of("db.poolSize", "0"), Map.of()));
    assertTrue(range.getMessage().contains("db.poolSize"));
    ConfigException unknown = assertThrows(ConfigException.class, () -> TsunaguConfig.of(Map.of("http.prot", "1"), Map.of()));
    assertTrue(unknown.getMessage().contains("http.prot"));
    ConfigException url = assertThrows(ConfigException.class,
        () -> TsunaguConfig.of(Map.of(), Map.of("TSUNAGU_DB_URL", "mysql://u:secret@h/db")));
    assertTrue(url.getMessage().contains("db.url"));
    assertFalse(url.getMessage().contains("secret"), "a password in a bad URL is never echoed");
    assertThrows(ConfigException.class, () -> TsunaguConfig.of(Map.of("mail.smtpTls", "maybe"), Map.of()));
  }

  @Test
  void httpsPublicUrlMakesCookiesSecure() {
    TsunaguConfig config = TsunaguConfig.of(Map.of("http.publicUrl", "https://id.city.example/"), Map.of());
    assertEquals("https://id.city.example", config.publicUrl());
    assertTrue(config.secureCookies());
  }

  /** docs/configuration.md must list every key with its environment variable and default. */
  @Test
  void everyKeyIsDocumented() throws Exception {
    Path doc = Path.of("..", "docs", "configuration.md");
    String text = Files.readString(doc);
    for (Setting<?> s : TsunaguConfig.ALL) {
      assertTrue(text.contains("`" + s.key() + "`"), "docs/configuration.md lacks " + s.key());
      assertTrue(text.contains("`" + s.environmentVariable() + "`"), "docs/configuration.md lacks " + s.environmentVariable());
    }
  }
}

package jp.tsunagu.platform.oidc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;

/**
 * The claims of one token, written as UTF-8 JSON as they are added (RFC 7519 §4: times in whole
 * seconds since the epoch, audiences and other lists as arrays), for {@link CompactSigner}. The
 * token endpoint builds two tokens per request; writing the JSON directly saves building a
 * {@code JWTClaimsSet}, copying it into a map and serialising the map. Add each name once.
 */
final class Claims {
  private static final JsonFactory JSON = new JsonFactory();

  private final ByteArrayBuilder out = new ByteArrayBuilder(512);
  private final JsonGenerator json;

  Claims() {
    try {
      json = JSON.createGenerator(out);
      json.writeStartObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A string claim; nothing when {@code value} is null. */
  Claims put(String name, String value) {
    return value == null ? this : write(() -> json.writeStringField(name, value));
  }

  Claims put(String name, long value) {
    return write(() -> json.writeNumberField(name, value));
  }

  /** A NumericDate (RFC 7519 §2): whole seconds since the epoch. */
  Claims time(String name, Instant value) {
    return put(name, value.getEpochSecond());
  }

  /** An array of strings. */
  Claims put(String name, Collection<String> values) {
    return write(() -> {
      json.writeArrayFieldStart(name);
      for (String v : values) {
        json.writeString(v);
      }
      json.writeEndArray();
    });
  }

  /** The confirmation claim of a DPoP-bound token (RFC 9449 §6.1): {@code "cnf": {"jkt": ...}}; nothing when null. */
  Claims confirmation(String jkt) {
    return jkt == null ? this : write(() -> {
      json.writeObjectFieldStart("cnf");
      json.writeStringField("jkt", jkt);
      json.writeEndObject();
    });
  }

  /** One write into memory; an {@code IOException} there would be a bug. */
  private interface Write {
    void run() throws IOException;
  }

  private Claims write(Write step) {
    try {
      step.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The claims set as UTF-8 JSON; the builder is spent. */
  byte[] json() {
    write(() -> {
      json.writeEndObject();
      json.close();
    });
    return out.toByteArray();
  }
}

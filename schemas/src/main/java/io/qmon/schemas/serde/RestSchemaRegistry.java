package io.qmon.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmon.schemas.config.Redaction;
import io.qmon.schemas.config.RegistryClientSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistry} over HTTP, speaking the Confluent REST API.
 *
 * <p>Schema ids and schemas are cached for the life of the client, as the Confluent client does: a
 * registered id never changes its schema, so the hot path makes no HTTP call after warm-up.
 *
 * <p>Speaks HTTP basic auth ({@code user:password}, given explicitly or as the URL's user-info) and
 * TLS with a configured truststore or PEM CA file ({@link RegistryClientSettings}). Credentials
 * never appear in its messages or {@link #toString()}.
 */
public final class RestSchemaRegistry implements SchemaRegistry {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REGISTER_ATTEMPTS = 5;

  private final URI baseUri;
  private final HttpClient http;
  private final String authorization;
  private final Duration timeout;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

  /**
   * @param baseUrl the API root, e.g. {@code http://127.0.0.1:8081} for Confluent or {@code
   *     http://127.0.0.1:8080/apis/ccompat/v7} for Apicurio
   */
  public RestSchemaRegistry(String baseUrl) {
    this(baseUrl, Duration.ofSeconds(10));
  }

  public RestSchemaRegistry(String baseUrl, Duration timeout) {
    this(RegistryClientSettings.of(baseUrl), timeout);
  }

  public RestSchemaRegistry(RegistryClientSettings settings) {
    this(settings, Duration.ofSeconds(10));
  }

  /** A client with the settings' credentials and trust material. */
  public RestSchemaRegistry(RegistryClientSettings settings, Duration timeout) {
    String baseUrl = settings.url();
    URI given = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    String userInfo = settings.basicAuthUserInfo();
    if (userInfo.isEmpty() && given.getRawUserInfo() != null) {
      userInfo = URLDecoder.decode(given.getRawUserInfo(), StandardCharsets.UTF_8);
    }
    this.baseUri = withoutUserInfo(given);
    this.authorization =
        userInfo.isEmpty()
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
    if (!settings.truststoreLocation().isEmpty()) {
      builder.sslContext(
          sslContext(Path.of(settings.truststoreLocation()), settings.truststorePassword()));
    }
    this.http = builder.build();
  }

  private static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    String text = uri.toString();
    return URI.create(text.replaceFirst("//[^/]*@", "//"));
  }

  /**
   * Trusts the certificates of a truststore (any type {@link KeyStore} recognises: PKCS12, JKS) or
   * of a PEM file of CA certificates ({@code .pem}, {@code .crt}, {@code .cer}).
   */
  static SSLContext sslContext(Path location, String password) {
    try {
      KeyStore trust;
      String name = location.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
        trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(location)) {
          int i = 0;
          for (Certificate cert :
              CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            trust.setCertificateEntry("ca-" + i++, cert);
          }
          if (i == 0) {
            throw new IllegalArgumentException("No certificate in " + location);
          }
        }
      } else {
        trust = KeyStore.getInstance(location.toFile(), password.toCharArray());
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Cannot read the schema registry truststore " + location + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int register(String subject, Schema schema) {
    String cacheKey = subject + '\n' + schema.toString();
    Integer cached = idsBySubjectAndSchema.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    JsonNode answer = registerWithRetry(subject, body);
    int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException("Registry answered without an id: " + answer, 200);
    }
    idsBySubjectAndSchema.put(cacheKey, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /**
   * Two clients registering the first version of a subject at once can race: some registries
   * (Apicurio) then refuse one with 409 "already exists". Asking again returns the existing id; a
   * real incompatibility keeps failing and is thrown.
   */
  private JsonNode registerWithRetry(String subject, JsonNode body) {
    String path = "subjects/" + encode(subject) + "/versions";
    for (int attempt = 1; ; attempt++) {
      try {
        return send("POST", path, body);
      } catch (SchemaRegistryException e) {
        boolean race = e.isIncompatible() && e.getMessage().contains("already exists");
        if (attempt >= REGISTER_ATTEMPTS || !(race || e.isRetriable())) {
          throw e;
        }
        sleepBeforeRetry(attempt);
      }
    }
  }

  private static void sleepBeforeRetry(int attempt) {
    try {
      Thread.sleep(50L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("Interrupted while retrying a registration", e);
    }
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("GET", "schemas/ids/" + id, null);
    Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  @Override
  public void setCompatibility(String subject, String level) {
    send("PUT", "config/" + encode(subject), JSON.createObjectNode().put("compatibility", level));
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    JsonNode answer =
        send("POST", "compatibility/subjects/" + encode(subject) + "/versions/latest", body);
    return answer.path("is_compatible").asBoolean(false);
  }

  private JsonNode send(String method, String path, JsonNode body) {
    URI uri = baseUri.resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          method + " " + uri + " failed: " + Redaction.urls(describe(e)), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(method + " " + uri + " was interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new SchemaRegistryException(
          method + " " + uri + " answered " + response.statusCode() + ": " + response.body(),
          response.statusCode());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          method + " " + uri + " answered with unreadable JSON: " + response.body(), e);
    }
  }

  /** An I/O failure's message, or its type when it has none (a refused connection has none). */
  private static String describe(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "RestSchemaRegistry{" + baseUri + "}";
  }
}

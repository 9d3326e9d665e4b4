package io.qmon.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.qmon.schemas.config.RegistryClientSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client's credentials and TLS trust, against a small HTTP(S) server on 127.0.0.1 that
 * records what the client sent (a real registry with authentication is not part of the stack).
 */
class RestSchemaRegistryAuthTest {
  private static final String SCHEMA = "{\"type\":\"string\"}";

  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  private void answerSchema(HttpExchange exchange) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "none" : auth);
    byte[] body =
        ("{\"schema\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(SCHEMA)
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(auth == null ? 401 : 200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Test
  void shouldSendTheUserInfoAsHttpBasicAuth() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answerSchema);
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      RestSchemaRegistry client =
          new RestSchemaRegistry(new RegistryClientSettings(url, "qmon:pa,ss=word", "", ""));
      assertEquals(Schema.create(Schema.Type.STRING), client.schemaById(7));
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString("qmon:pa,ss=word".getBytes(StandardCharsets.UTF_8));
      assertEquals(List.of(expected), authorizations);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shouldTakeCredentialsFromTheUrlAndNeverShowThem() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answerSchema);
    server.start();
    int port = server.getAddress().getPort();
    try {
      RestSchemaRegistry client = new RestSchemaRegistry("http://ann:topsecret@127.0.0.1:" + port);
      client.schemaById(3);
      assertEquals(
          "Basic "
              + Base64.getEncoder()
                  .encodeToString("ann:topsecret".getBytes(StandardCharsets.UTF_8)),
          authorizations.get(0));
      assertFalse(client.toString().contains("topsecret"), client.toString());
    } finally {
      server.stop(0);
    }
    RestSchemaRegistry down = new RestSchemaRegistry("http://ann:topsecret@127.0.0.1:" + port);
    SchemaRegistryException e =
        assertThrows(SchemaRegistryException.class, () -> down.schemaById(4));
    assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
  }

  @Test
  void shouldTrustARegistryCertificateFromATruststoreOrAPemFile(@TempDir Path dir)
      throws Exception {
    Path keystore = dir.resolve("server.p12");
    run(
        keytool(),
        "-genkeypair",
        "-alias",
        "registry",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "serverpw");
    Path pem = dir.resolve("ca.pem");
    run(
        keytool(),
        "-exportcert",
        "-rfc",
        "-alias",
        "registry",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "serverpw",
        "-file",
        pem.toString());
    Path truststore = dir.resolve("trust.p12");
    run(
        keytool(),
        "-importcert",
        "-noprompt",
        "-alias",
        "registry",
        "-file",
        pem.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        "trustpw");

    KeyStore keys = KeyStore.getInstance(keystore.toFile(), "serverpw".toCharArray());
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "serverpw".toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext("/", this::answerSchema);
    server.start();
    try {
      String url = "https://127.0.0.1:" + server.getAddress().getPort();
      assertThrows(
          SchemaRegistryException.class,
          () ->
              new RestSchemaRegistry(new RegistryClientSettings(url, "u:p", "", "")).schemaById(1),
          "the JVM's default trust does not know the self-signed certificate");
      assertEquals(
          Schema.create(Schema.Type.STRING),
          new RestSchemaRegistry(
                  new RegistryClientSettings(url, "u:p", truststore.toString(), "trustpw"))
              .schemaById(1));
      assertEquals(
          Schema.create(Schema.Type.STRING),
          new RestSchemaRegistry(new RegistryClientSettings(url, "u:p", pem.toString(), ""))
              .schemaById(2));
      assertTrue(authorizations.size() >= 2);
    } finally {
      server.stop(0);
    }
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
  }
}

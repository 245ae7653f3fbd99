// Starts Solr's own server code (the classes behind the official Solr 9 image, fetched
// from Maven Central) with JettySolrRunner, serving every core under the Solr home.
// Usage: java -cp 'lib/*' SolrServer.java <solr-home> <port>
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class SolrServer {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    JettyConfig config =
        JettyConfig.builder().setContext("/solr").setPort(port).stopAtShutdown(true).build();
    JettySolrRunner runner = new JettySolrRunner(home.toString(), new Properties(), config);
    runner.start();
    var failures = runner.getCoreContainer().getCoreInitFailures();
    if (!failures.isEmpty()) {
      failures.forEach((core, f) -> System.err.println("core " + core + " failed: " + f.exception));
      runner.stop();
      System.exit(2);
    }
    System.out.println("Solr ready on http://127.0.0.1:" + port + "/solr with cores "
        + runner.getCoreContainer().getAllCoreNames());
    Thread.currentThread().join();
  }
}

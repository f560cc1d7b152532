// Runs SPARQL SELECT queries with Apache Jena ARQ, parsed as strict SPARQL 1.1, over
// TriG files, with parameters bound by Jena's substitution. One job per stdin line:
//   DATA.trig <TAB> QUERY.rq <TAB> OUT.json [<TAB> NAME=N-TRIPLES-TERM]...
// writes the results as SPARQL JSON to OUT.json and prints "done OUT.json" (or
// "error OUT.json: message"); each TriG file is loaded once.
//   java -cp "$(cat cp.txt)" Select.java < jobs
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.jena.query.Query;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSet;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.exec.QueryExec;
import org.apache.jena.sparql.exec.QueryExecBuilder;
import org.apache.jena.sparql.util.NodeFactoryExtra;

public class Select {
    public static void main(String[] args) throws Exception {
        Map<String, DatasetGraph> loaded = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            String[] parts = line.split("\t");
            try {
                DatasetGraph data = loaded.computeIfAbsent(parts[0], RDFDataMgr::loadDatasetGraph);
                Query query = QueryFactory.create(Files.readString(Path.of(parts[1])), Syntax.syntaxSPARQL_11);
                QueryExecBuilder exec = QueryExec.dataset(data).query(query);
                for (int i = 3; i < parts.length; i++) {
                    String[] param = parts[i].split("=", 2);
                    exec = exec.substitution(param[0], NodeFactoryExtra.parseNode(param[1]));
                }
                try (OutputStream out = new FileOutputStream(parts[2])) {
                    ResultSetFormatter.outputAsJSON(out, ResultSet.adapt(exec.select()));
                }
                System.out.println("done " + parts[2]);
            } catch (Exception e) {
                System.out.println("error " + parts[2] + ": " + e.toString().replace('\n', ' '));
            }
            System.out.flush();
        }
    }
}

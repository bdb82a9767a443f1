// Runs epubcheck over one EPUB per input line ("book.epub<TAB>report.json"), all in this one JVM, and answers
// each line with epubcheck's exit code. Starting the JVM and warming epubcheck's schemas costs far more than
// checking a book, so the test suite checks every EPUB through one of these (test/support/epubcheck-service.ts).
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubcheckBatch {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream answers = System.out;
    // Whatever epubcheck prints goes to stderr: stdout carries only the answers.
    System.setOut(System.err);
    String line;
    while ((line = in.readLine()) != null) {
      String[] job = line.split("\t");
      int code;
      try {
        code = new EpubChecker().run(new String[] { job[0], "--json", job[1], "--quiet" });
      } catch (Throwable error) {
        error.printStackTrace();
        code = -1;
      }
      answers.println(code);
      answers.flush();
    }
  }
}

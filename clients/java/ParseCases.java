// A conformance harness for the Java parser generated from grammar/Q.g4 (default package).
//
// Reads one case per line from stdin: the text's Unicode code points as decimal integers
// separated by spaces (an empty line is the empty text). Prints one line per case: "ok" when
// the grammar accepts the text, else "START END", the code-point span of the offending token
// (an error at the end of the input is "LEN LEN"). The parser runs as the client guide in
// Q.g4 says: CharStreams.fromString (code points), no console listeners, BailErrorStrategy
// (the first error is fatal; its RecognitionException names the offending token).
//
//   java -cp antlr4-4.13.2.jar:classes ParseCases < cases.txt

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;

public final class ParseCases {
    private ParseCases() {}

    static String verdict(String text, int length) {
        QLexer lexer = new QLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        QParser parser = new QParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        try {
            parser.query();
            return "ok";
        } catch (ParseCancellationException e) {
            Token token = ((RecognitionException) e.getCause()).getOffendingToken();
            if (token.getType() == Token.EOF) {
                return length + " " + length;
            }
            return token.getStartIndex() + " " + (token.getStopIndex() + 1);
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            String trimmed = line.trim();
            int[] points = new int[0];
            if (!trimmed.isEmpty()) {
                String[] parts = trimmed.split(" ");
                points = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    points[i] = Integer.parseInt(parts[i]);
                }
            }
            out.write(verdict(new String(points, 0, points.length), points.length));
            out.newLine();
        }
        out.flush();
    }
}

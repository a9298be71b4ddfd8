package dev.safeops.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON report of {@code apply --report}, read back with jackson-core alone, as a user's tool would read it. */
record ReportFile(boolean committed, boolean dryRun, int applied, int skipped, int failed, int notRun, int savepoints,
                  String error, List<Statement> statements) {

    record Statement(int index, String file, int line, String status, boolean afterCommit, String sqlState,
                     String message, String sql) {
    }

    @SuppressWarnings("unchecked")
    static ReportFile read(Path file) throws IOException {
        Map<String, Object> json;
        try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
            parser.nextToken();
            json = (Map<String, Object>) value(parser);
        }
        List<Statement> statements = new ArrayList<>();
        for (Object element : (List<Object>) json.get("statements")) {
            Map<String, Object> s = (Map<String, Object>) element;
            statements.add(new Statement((Integer) s.get("index"), (String) s.get("file"), (Integer) s.get("line"),
                    (String) s.get("status"), (Boolean) s.get("afterCommit"), (String) s.get("sqlState"),
                    (String) s.get("message"), (String) s.get("sql")));
        }
        return new ReportFile((Boolean) json.get("committed"), (Boolean) json.get("dryRun"), (Integer) json.get("applied"),
                (Integer) json.get("skipped"), (Integer) json.get("failed"), (Integer) json.get("notRun"),
                (Integer) json.get("savepoints"), (String) json.get("error"), statements);
    }

    /** The report as read, for fields the record leaves out (lock retries). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> raw(Path file) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
            parser.nextToken();
            return (Map<String, Object>) value(parser);
        }
    }

    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, value(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getIntValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected JSON token " + token);
        }
    }
}

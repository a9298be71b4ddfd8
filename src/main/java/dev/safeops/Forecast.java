package dev.safeops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Which statements of a script are expected to fail and be skipped, asked of the catalog once,
 * before they are sent: for each statement, whether the facts a skip of it would rest on (its target
 * absent, or already there) hold now. Facts of one shape are asked together, as the rows of one
 * query, so that a forecast of thousands of statements is planned a handful of times.
 *
 * <p>A forecast only decides how statements travel, never their outcome: every statement is still
 * sent, and a skip is still confirmed by the catalog at the point of the transaction where the
 * statement failed. A wrong forecast costs speed (a subtransaction, or a round trip), nothing else.
 * A statement on an object that an earlier statement expected to apply creates or drops is expected
 * to apply: the catalog now says nothing of the moment it runs. What the catalog cannot see coming
 * (a table created inside a {@code DO} block) is forecast as a skip, and simply applies in its own
 * savepoint.
 */
final class Forecast {

    static final String SAVEPOINT = "SAVEPOINT safe_ops_forecast";
    static final String ROLLBACK = "ROLLBACK TO SAVEPOINT safe_ops_forecast";
    static final String RELEASE = "RELEASE SAVEPOINT safe_ops_forecast";

    /**
     * One SQLSTATE of each kind of error a skip can follow, the target already there first: when
     * both hold (an {@code ALTER TABLE} whose actions are all no-ops also "holds" as the table being
     * absent or its action a no-op), a statement on an object that exists fails as a duplicate.
     */
    private static final List<String> EXPECTED_STATES = List.of("42P07", "42P01");
    /** Facts per query, so that no query grows without bound (with {@link Guard#WINDOW_BYTES} for its text). */
    private static final int FACTS_PER_QUERY = 1000;
    /** The catalog functions that look an object up by the name that follows them. */
    private static final List<String> LOOK_UPS = List.of("to_regclass(", "to_regtype(", "to_regnamespace(");

    /** A skip a step could turn out to be: the verdict of an error of that SQLSTATE, awaiting its facts. */
    private record Candidate(Verdict verdict, String sqlState) {
    }

    /** One query of the forecast, answering one {@code t} or {@code f} for each of these facts, in order. */
    private record Query(String sql, List<Integer> facts) {
    }

    private final List<List<Candidate>> candidates;
    /** Whether each step creates or drops what it names, so that a later step on it cannot be forecast. */
    private final List<Boolean> createsOrDrops;
    /** Every fact any candidate rests on, once each (statements on one table share most of theirs), numbered. */
    private final Map<Condition, Integer> facts = new LinkedHashMap<>();
    private final List<Query> queries = new ArrayList<>();

    private Forecast(List<List<Candidate>> candidates, List<Boolean> createsOrDrops) {
        this.candidates = candidates;
        this.createsOrDrops = createsOrDrops;
        // Facts of one shape (one text, other names) are asked together, as rows of one query.
        Map<List<String>, List<Condition>> shapes = new LinkedHashMap<>();
        for (List<Candidate> step : candidates) {
            for (Candidate candidate : step) {
                for (Fact fact : candidate.verdict().confirmation().facts()) {
                    if (facts.putIfAbsent(fact.condition(), facts.size()) == null) {
                        shapes.computeIfAbsent(fact.condition().text(), text -> new ArrayList<>()).add(fact.condition());
                    }
                }
            }
        }
        for (List<Condition> shape : shapes.values()) {
            int from = 0;
            long length = 0;
            for (int i = 0; i < shape.size(); i++) {
                length += shape.get(i).values().stream().mapToLong(value -> value.length() + 8).sum();
                if (i + 1 == shape.size() || i + 1 - from >= FACTS_PER_QUERY || length > Guard.WINDOW_BYTES) {
                    List<Condition> asked = shape.subList(from, i + 1);
                    queries.add(new Query(query(asked), asked.stream().map(facts::get).toList()));
                    from = i + 1;
                    length = 0;
                }
            }
        }
    }

    /**
     * One query answering conditions of one text: their values travel as arrays, unnested into rows,
     * and the condition is planned once over the row's columns (where a subquery per condition would
     * each be planned on its own, about a millisecond each for a few hundred).
     */
    private static String query(List<Condition> conditions) {
        Condition first = conditions.get(0);
        int width = first.values().size();
        if (width == 0) {
            return "SELECT " + CatalogCheck.answer(first.sql());
        }
        List<String> names = new ArrayList<>(width);
        List<String> columns = new ArrayList<>(width);
        List<String> arrays = new ArrayList<>(width);
        for (int v = 0; v < width; v++) {
            names.add("v" + v);
            columns.add("safe_ops_q.v" + v);
            StringJoiner values = new StringJoiner(", ", "pg_catalog.unnest(ARRAY[", "]::text[])");
            for (Condition condition : conditions) {
                values.add(Literal.quote(condition.values().get(v)));
            }
            arrays.add(values.toString());
        }
        return "SELECT pg_catalog.string_agg(" + CatalogCheck.answer(first.over(columns)) + ", '' ORDER BY safe_ops_q.n)"
                + " FROM ROWS FROM (" + String.join(", ", arrays) + ") WITH ORDINALITY safe_ops_q("
                + String.join(", ", names) + ", n)";
    }

    /** The skips each step could turn out to be, as the judge would have them confirmed. */
    static Forecast of(Judge judge, List<Guard.Step> steps) {
        List<List<Candidate>> candidates = new ArrayList<>(steps.size());
        List<Boolean> createsOrDrops = new ArrayList<>(steps.size());
        for (Guard.Step step : steps) {
            String verb = step.operation().shape().word(0);
            createsOrDrops.add(verb.equals("CREATE") || verb.equals("DROP"));
            List<Candidate> possible = new ArrayList<>(EXPECTED_STATES.size());
            if (step.operation().wanted() == null) {
                for (String sqlState : EXPECTED_STATES) {
                    Verdict verdict = judge.judge(step.operation(), sqlState, "expected");
                    if (verdict.kind() == Verdict.Kind.CONFIRM) {
                        possible.add(new Candidate(verdict, sqlState));
                    }
                }
            }
            candidates.add(possible);
        }
        return new Forecast(candidates, createsOrDrops);
    }

    /** Whether any step could be a skip at all; if not, there is nothing to ask. */
    boolean worthAsking() {
        return !queries.isEmpty();
    }

    /**
     * The statements that ask: a savepoint, the queries, each answering a text of {@code t} and
     * {@code f}, and the rollback to the savepoint, so that a query that fails (on a name the catalog
     * functions reject) cannot abort the transaction: it only leaves its steps expected to apply.
     */
    List<String> statements() {
        List<String> statements = new ArrayList<>(queries.size() + 3);
        statements.add(SAVEPOINT);
        queries.forEach(query -> statements.add(query.sql()));
        statements.add(ROLLBACK);
        statements.add(RELEASE);
        return statements;
    }

    /**
     * For each step, the verdict of the skip it is expected to be (one whose facts hold now), or null
     * when it is expected to apply; {@code answers} answers {@link #statements()}.
     */
    List<Verdict> expected(Judge judge, Answers answers) {
        // '?' for a fact whose query failed: unknown, so no candidate resting on it holds.
        char[] known = new char[facts.size()];
        Arrays.fill(known, '?');
        for (int q = 0; q < queries.size(); q++) {
            List<Integer> asked = queries.get(q).facts();
            int statement = q + 1;
            String reply = statement < answers.size() && !answers.get(statement).failed()
                    ? answers.get(statement).firstValue() : null;
            if (reply != null && reply.length() == asked.size()) {
                for (int i = 0; i < asked.size(); i++) {
                    known[asked.get(i)] = reply.charAt(i);
                }
            }
        }
        List<Verdict> expected = new ArrayList<>(candidates.size());
        // Objects that an earlier statement expected to apply creates or drops: what the catalog says of
        // them now says nothing of the moment a later statement runs.
        Set<String> changing = new HashSet<>();
        for (int i = 0; i < candidates.size(); i++) {
            List<Candidate> step = candidates.get(i);
            Verdict skip = null;
            for (Candidate candidate : step) {
                StringBuilder replies = new StringBuilder();
                for (Fact fact : candidate.verdict().confirmation().facts()) {
                    replies.append(known[facts.get(fact.condition())]);
                }
                if (replies.indexOf("?") < 0 && judge.confirmed(candidate.verdict(), candidate.sqlState(),
                        replies.toString()).kind() == Verdict.Kind.TOLERATE) {
                    skip = candidate.verdict();
                    break;
                }
            }
            if (skip != null && objects(skip.confirmation().facts()).stream().anyMatch(changing::contains)) {
                skip = null;
            }
            if (skip == null && createsOrDrops.get(i)) {
                step.forEach(candidate -> changing.addAll(objects(candidate.verdict().confirmation().facts())));
            }
            expected.add(skip);
        }
        return expected;
    }

    /** The relations, types and schemas the facts look up by name, as the names they look up. */
    private static Set<String> objects(List<Fact> facts) {
        Set<String> objects = new HashSet<>();
        for (Fact fact : facts) {
            Condition condition = fact.condition();
            for (int i = 0; i < condition.values().size(); i++) {
                String before = condition.text().get(i);
                if (LOOK_UPS.stream().anyMatch(before::endsWith)) {
                    objects.add(condition.values().get(i));
                }
            }
        }
        return objects;
    }

}

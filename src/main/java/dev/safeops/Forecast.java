package dev.safeops;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which statements of a script are expected to fail and be skipped, asked of the catalog once,
 * before any of them is sent: for each statement, whether the facts a skip of it would rest on
 * (its target absent, or already there) hold now.
 *
 * <p>A forecast only decides how statements travel, never their outcome: every statement is still
 * sent, and a skip is still confirmed by the catalog at the point of the transaction where the
 * statement failed. A wrong forecast costs speed (a subtransaction, or a round trip), nothing else.
 * It does not follow what earlier statements of the script create or drop: a statement that acts
 * on what an earlier one creates is forecast as a skip and simply applies in its own savepoint.
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
    /** Questions per query, and characters per query, so that no query grows without bound. */
    private static final int QUESTIONS_PER_QUERY = 200;
    /** A catalog function looking an object up by name, and the literal naming it. */
    private static final Pattern LOOKED_UP = Pattern.compile("to_reg(?:class|type|namespace)\\((E?'(?:[^']|'')*')\\)");

    /** A skip a step could turn out to be: the verdict of an error of that SQLSTATE, awaiting its facts. */
    private record Candidate(Verdict verdict, String sqlState) {
    }

    private final List<List<Candidate>> candidates;
    /** Whether each step creates or drops what it names, so that a later step on it cannot be forecast. */
    private final List<Boolean> createsOrDrops;
    /** Every fact any candidate rests on, once each (statements on one table share most of theirs). */
    private final Map<String, Integer> facts = new LinkedHashMap<>();
    /** The facts of each query, in order. */
    private final List<List<String>> queries = new ArrayList<>();

    private Forecast(List<List<Candidate>> candidates, List<Boolean> createsOrDrops) {
        this.candidates = candidates;
        this.createsOrDrops = createsOrDrops;
        List<String> questions = new ArrayList<>();
        int length = 0;
        for (List<Candidate> step : candidates) {
            for (Candidate candidate : step) {
                for (Fact fact : candidate.verdict().confirmation().facts()) {
                    if (facts.containsKey(fact.sql())) {
                        continue;
                    }
                    facts.put(fact.sql(), facts.size());
                    String question = CatalogCheck.answers(List.of(fact));
                    if (!questions.isEmpty() && (questions.size() >= QUESTIONS_PER_QUERY
                            || length + question.length() > Guard.WINDOW_BYTES)) {
                        queries.add(questions);
                        questions = new ArrayList<>();
                        length = 0;
                    }
                    questions.add(question);
                    length += question.length();
                }
            }
        }
        if (!questions.isEmpty()) {
            queries.add(questions);
        }
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
                    Verdict verdict = judge.judge(step.operation(), new SQLException("expected", sqlState));
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
     * The statements that ask: a savepoint, queries of at most {@link Guard#WINDOW_BYTES} characters
     * each answering one {@code t} or {@code f} per fact, and
     * the rollback to the savepoint, so that a query that fails (on a name the catalog functions
     * reject) cannot abort the transaction: it only leaves its steps expected to apply.
     */
    List<String> statements() {
        List<String> statements = new ArrayList<>(queries.size() + 3);
        statements.add(SAVEPOINT);
        for (List<String> questions : queries) {
            statements.add("SELECT pg_catalog.array_to_string(ARRAY[" + String.join(", ", questions)
                    + "]::text[], '')");
        }
        statements.add(ROLLBACK);
        statements.add(RELEASE);
        return statements;
    }

    /**
     * For each step, the verdict of the skip it is expected to be (one whose facts hold now), or null
     * when it is expected to apply; {@code answers} answers {@link #statements()}.
     */
    List<Verdict> expected(Judge judge, Answers answers) {
        StringBuilder known = new StringBuilder(facts.size());
        for (int query = 0; query < queries.size(); query++) {
            int asked = queries.get(query).size();
            int statement = query + 1;
            String reply = statement < answers.size() && !answers.get(statement).failed()
                    ? answers.get(statement).firstValue() : null;
            boolean answered = reply != null && reply.length() == asked;
            // '?' for a fact whose query failed: unknown, so no candidate resting on it holds.
            known.append(answered ? reply : "?".repeat(asked));
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
                    replies.append(known.charAt(facts.get(fact.sql())));
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

    /** The relations, types and schemas the facts look up by name, as the literals that name them. */
    private static Set<String> objects(List<Fact> facts) {
        Set<String> objects = new HashSet<>();
        for (Fact fact : facts) {
            Matcher name = LOOKED_UP.matcher(fact.sql());
            while (name.find()) {
                objects.add(name.group(1));
            }
        }
        return objects;
    }

}

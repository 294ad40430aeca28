package org.captchasolver.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.captchasolver.eval.EditDistance.Kind;
import org.captchasolver.eval.EditDistance.Step;
import org.captchasolver.model.Alphabet;
import org.captchasolver.model.Prediction;
import org.junit.jupiter.api.Test;

class AlignmentTest {
    @Test
    void anInsertedCharacterIsOneStepAndTheRestStillLinesUp() {
        assertThat(EditDistance.align("3gtw", "f3gtw")).containsExactly(new Step(Kind.INSERTION, (char) 0, 'f'),
                match('3'), match('g'), match('t'), match('w'));
    }

    @Test
    void aDroppedCharacterIsOneStep() {
        assertThat(EditDistance.align("ddvqz", "dvqz")).extracting(Step::kind)
                .containsExactly(Kind.DELETION, Kind.MATCH, Kind.MATCH, Kind.MATCH, Kind.MATCH);
    }

    @Test
    void aMisreadCharacterIsASubstitutionNotADeletionAndAnInsertion() {
        assertThat(EditDistance.align("EhHMgF", "EhHMgH")).extracting(Step::kind)
                .containsExactly(Kind.MATCH, Kind.MATCH, Kind.MATCH, Kind.MATCH, Kind.MATCH, Kind.SUBSTITUTION);
        assertThat(EditDistance.align("", "ab")).extracting(Step::kind).containsExactly(Kind.INSERTION, Kind.INSERTION);
        assertThat(EditDistance.align("ab", "")).extracting(Step::kind).containsExactly(Kind.DELETION, Kind.DELETION);
    }

    @Test
    void theAlignmentCostsTheEditDistanceOnRandomPairs() {
        java.util.Random rnd = new java.util.Random(7);
        for (int trial = 0; trial < 500; trial++) {
            String a = random(rnd);
            String b = random(rnd);
            List<Step> steps = EditDistance.align(a, b);
            long cost = steps.stream().filter(s -> s.kind() != Kind.MATCH).count();
            assertThat(cost).as("%s -> %s", a, b).isEqualTo(EditDistance.of(a, b));
            StringBuilder truth = new StringBuilder();
            StringBuilder pred = new StringBuilder();
            for (Step s : steps) {
                if (s.kind() != Kind.INSERTION) {
                    truth.append(s.truth());
                }
                if (s.kind() != Kind.DELETION) {
                    pred.append(s.predicted());
                }
            }
            assertThat(truth.toString()).isEqualTo(a);
            assertThat(pred.toString()).isEqualTo(b);
        }
    }

    @Test
    void charactersAddedPastEveryLabelAreInsertionsNotAPositionOfTheirOwn() {
        SequenceScores scores = new SequenceScores();
        Alphabet alphabet = new Alphabet("abcdef");
        Confusion confusion = new Confusion(alphabet.classes());
        ScoreCurves curves = new ScoreCurves();
        String[][] pairs = {{"abc", "abcd"}, {"abcdef", "abcdefa"}, {"abcd", "abcd"}, {"fed", "ed"}};
        for (String[] p : pairs) {
            scores.add(p[0], p[1]);
            Evaluator.tally(p[0], prediction(p[1], alphabet.classes()), alphabet, confusion, curves);
        }
        assertThat(scores.positionAccuracy()).as("six positions, as the longest label").hasSize(6);
        assertThat(confusion.positions()).isEqualTo(6);
        assertThat(scores.insertions()).isEqualTo(2);
        assertThat(scores.deletions()).isEqualTo(1);
        assertThat(scores.substitutions()).isZero();
        long[][] overall = confusion.overall();
        assertThat(overall[0][alphabet.classOf('d')] + overall[0][alphabet.classOf('a')])
                .as("the inserted d and a count in the overall matrix as 'no character' read as them").isEqualTo(2);
        assertThat(Confusion.total(overall)).isEqualTo(3 + 1 + 6 + 1 + 4 + 3);
    }

    private static Step match(char c) {
        return new Step(Kind.MATCH, c, c);
    }

    private static String random(java.util.Random rnd) {
        StringBuilder s = new StringBuilder();
        int n = rnd.nextInt(7);
        for (int i = 0; i < n; i++) {
            s.append("abc".charAt(rnd.nextInt(3)));
        }
        return s.toString();
    }

    private static Prediction prediction(String text, int classes) {
        float[] conf = new float[text.length()];
        float[][] dist = new float[text.length()][classes];
        java.util.Arrays.fill(conf, 0.9f);
        return new Prediction(text, 0.9f, conf, dist);
    }
}

// SPDX-License-Identifier: MIT

package task

import (
	"strings"
	"testing"
)

var multiNames = []string{"rdm_fixed", "mante", "romo"}

// TestMultiLayout checks each trial of a multitask against the same trial
// of its own task: the task's inputs, targets and mask on the first
// channels, the baseline on the channels it lacks, the rule input at
// baseline+1 for its task only, and the padding at the baseline with mask 0.
func TestMultiLayout(t *testing.T) {
	opt := quiet()
	m := mustNew(t, MultiPrefix+strings.Join(multiNames, ","), opt)
	if m.Name() != "multi:rdm_fixed,mante,romo" {
		t.Fatalf("name %q", m.Name())
	}
	subs := make([]Task, len(multiNames))
	nIn, nOut := 0, 0
	for k, n := range multiNames {
		subs[k] = mustNew(t, n, opt)
		i, o := subs[k].Dims()
		nIn, nOut = max(nIn, i), max(nOut, o)
	}
	if i, o := m.Dims(); i != nIn+len(subs) || o != nOut {
		t.Fatalf("dims %d, %d; want %d, %d", i, o, nIn+len(subs), nOut)
	}
	// one non-catch condition of each task, then task 0's catch trial
	var req []Condition
	for k, s := range subs {
		c := s.Conditions()[1]
		c.Task = multiNames[k]
		req = append(req, c)
	}
	req = append(req, Condition{Catch: true, Choice: -1, Task: multiNames[0]})
	b, err := m.Trials(NewRand(3), req)
	if err != nil {
		t.Fatal(err)
	}
	rng := NewRand(3)
	for i, c := range req {
		k := i % len(subs)
		c.Task = ""
		want, err := subs[k].Trials(rng, []Condition{c})
		if err != nil {
			t.Fatal(err)
		}
		tr := b.Trials[i]
		if tr.Steps != want.T || tr.Cond.Task != multiNames[k] || tr.Cond.Choice != want.Trials[0].Cond.Choice {
			t.Fatalf("trial %d: steps %d cond %+v; want steps %d, task %s, %+v", i, tr.Steps, tr.Cond, want.T,
				multiNames[k], want.Trials[0].Cond)
		}
		for s := range b.T {
			for ch := range b.I {
				w := opt.Baseline
				switch {
				case s < tr.Steps && ch < want.I:
					w = in(want, 0, s, ch)
				case s < tr.Steps && ch == nIn+k:
					w = opt.Baseline + 1
				}
				if !near(in(b, i, s, ch), w) {
					t.Fatalf("trial %d step %d input %d = %v, want %v", i, s, ch, in(b, i, s, ch), w)
				}
			}
			for o := range b.O {
				wt, wm := 0.0, 0.0
				if s < tr.Steps && o < want.O {
					wt, wm = tg(want, 0, s, o), mk(want, 0, s, o)
				}
				if tg(b, i, s, o) != wt || mk(b, i, s, o) != wm {
					t.Fatalf("trial %d step %d output %d: target %v mask %v, want %v %v", i, s, o,
						tg(b, i, s, o), mk(b, i, s, o), wt, wm)
				}
			}
		}
	}
}

// TestMultiBatchAndValidation checks that training batches draw every task
// and that the metrics score them apart (outputs equal to the targets are
// 100 % correct for every task), and that Validation cycles through
// Conditions, every task's conditions in turn.
func TestMultiBatchAndValidation(t *testing.T) {
	m := mustNew(t, "multi:rdm_fixed,romo", DefaultOptions())
	b, err := m.Batch(NewRand(1), 80)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, tr := range b.Trials {
		seen[tr.Cond.Task]++
	}
	if len(seen) != 2 || seen["rdm_fixed"] < 20 || seen["romo"] < 20 {
		t.Fatalf("tasks drawn %v", seen)
	}
	by, err := ByCondition(b.Target, b)
	if err != nil {
		t.Fatal(err)
	}
	tasks := map[string]bool{}
	for _, s := range by {
		tasks[s.Cond.Task] = true
		if s.Correct != s.N {
			t.Fatalf("condition %+v: %d of %d correct from the targets", s.Cond, s.Correct, s.N)
		}
	}
	if len(tasks) != 2 {
		t.Fatalf("ByCondition's tasks %v", tasks)
	}
	conds := m.Conditions()
	rdm, romo := mustNew(t, "rdm_fixed", DefaultOptions()), mustNew(t, "romo", DefaultOptions())
	if len(conds) != len(rdm.Conditions())+len(romo.Conditions()) || conds[0].Task != "rdm_fixed" ||
		conds[len(conds)-1].Task != "romo" {
		t.Fatalf("conditions: %d, first %+v, last %+v", len(conds), conds[0], conds[len(conds)-1])
	}
	v, err := m.Validation(NewRand(2), len(conds)+3)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range v.Trials {
		if tr.Cond != conds[i%len(conds)] {
			t.Fatalf("validation trial %d: %+v, want %+v", i, tr.Cond, conds[i%len(conds)])
		}
	}
}

func TestMultiErrors(t *testing.T) {
	for name, want := range map[string]string{
		"multi:rdm_fixed":           "at least 2 tasks",
		"multi:rdm_fixed,rdm_fixed": `lists "rdm_fixed" twice`,
		"multi:rdm_fixed,nope":      `unknown task "nope"`,
		"multi:rdm_fixed,sinewave":  "sinewave is not a choice task",
		"multi:":                    "at least 2 tasks",
	} {
		if _, err := New(name, DefaultOptions()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%q): %v, want an error with %q", name, err, want)
		}
	}
	m := mustNew(t, "multi:rdm_fixed,romo", DefaultOptions())
	c := m.Conditions()[1]
	c.Task = ""
	if _, err := m.Trials(NewRand(1), []Condition{c}); err == nil || !strings.Contains(err.Error(), `Task = "" is not one of the tasks`) {
		t.Errorf("Trials without a task: %v", err)
	}
	if _, err := m.Batch(nil, 1); err != errNilRand {
		t.Errorf("nil rng: %v", err)
	}
}

// SPDX-License-Identifier: MIT

package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "capi.h"
*/
import "C"

// The keyed exports of every kind: each is the generic binder of keys.go
// applied to the kind's key table.

//export nn4n_model_set_f64
func nn4n_model_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	return setF64("nn4n_model_set_f64", kindModel, h, key, value)
}

//export nn4n_model_get_f64
func nn4n_model_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	return getF64("nn4n_model_get_f64", kindModel, h, key, value)
}

//export nn4n_model_set_str
func nn4n_model_set_str(h C.uint64_t, key, value *C.nn4n_cchar) C.int32_t {
	return setStr("nn4n_model_set_str", kindModel, h, key, value)
}

//export nn4n_model_get_str
func nn4n_model_get_str(h C.uint64_t, key *C.nn4n_cchar, buf *C.char, n C.int64_t, needed *C.int64_t) C.int32_t {
	return getStr("nn4n_model_get_str", kindModel, h, key, buf, n, needed)
}

//export nn4n_model_key_count
func nn4n_model_key_count(h C.uint64_t, count *C.int64_t) C.int32_t {
	return keyCount("nn4n_model_key_count", kindModel, h, count)
}

//export nn4n_model_key_info
func nn4n_model_key_info(h C.uint64_t, index C.int64_t, buf *C.char, n C.int64_t, needed *C.int64_t, lo, hi *C.double) C.int32_t {
	return keyInfo("nn4n_model_key_info", kindModel, h, index, buf, n, needed, lo, hi)
}

//export nn4n_objective_set_f64
func nn4n_objective_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	return setF64("nn4n_objective_set_f64", kindObjective, h, key, value)
}

//export nn4n_objective_get_f64
func nn4n_objective_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	return getF64("nn4n_objective_get_f64", kindObjective, h, key, value)
}

//export nn4n_objective_set_str
func nn4n_objective_set_str(h C.uint64_t, key, value *C.nn4n_cchar) C.int32_t {
	return setStr("nn4n_objective_set_str", kindObjective, h, key, value)
}

//export nn4n_objective_get_str
func nn4n_objective_get_str(h C.uint64_t, key *C.nn4n_cchar, buf *C.char, n C.int64_t, needed *C.int64_t) C.int32_t {
	return getStr("nn4n_objective_get_str", kindObjective, h, key, buf, n, needed)
}

//export nn4n_objective_key_count
func nn4n_objective_key_count(h C.uint64_t, count *C.int64_t) C.int32_t {
	return keyCount("nn4n_objective_key_count", kindObjective, h, count)
}

//export nn4n_objective_key_info
func nn4n_objective_key_info(h C.uint64_t, index C.int64_t, buf *C.char, n C.int64_t, needed *C.int64_t, lo, hi *C.double) C.int32_t {
	return keyInfo("nn4n_objective_key_info", kindObjective, h, index, buf, n, needed, lo, hi)
}

//export nn4n_optimizer_set_f64
func nn4n_optimizer_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	return setF64("nn4n_optimizer_set_f64", kindOptimizer, h, key, value)
}

//export nn4n_optimizer_get_f64
func nn4n_optimizer_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	return getF64("nn4n_optimizer_get_f64", kindOptimizer, h, key, value)
}

//export nn4n_optimizer_key_count
func nn4n_optimizer_key_count(h C.uint64_t, count *C.int64_t) C.int32_t {
	return keyCount("nn4n_optimizer_key_count", kindOptimizer, h, count)
}

//export nn4n_optimizer_key_info
func nn4n_optimizer_key_info(h C.uint64_t, index C.int64_t, buf *C.char, n C.int64_t, needed *C.int64_t, lo, hi *C.double) C.int32_t {
	return keyInfo("nn4n_optimizer_key_info", kindOptimizer, h, index, buf, n, needed, lo, hi)
}

//export nn4n_structure_set_f64
func nn4n_structure_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	return setF64("nn4n_structure_set_f64", kindStructure, h, key, value)
}

//export nn4n_structure_get_f64
func nn4n_structure_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	return getF64("nn4n_structure_get_f64", kindStructure, h, key, value)
}

//export nn4n_structure_set_str
func nn4n_structure_set_str(h C.uint64_t, key, value *C.nn4n_cchar) C.int32_t {
	return setStr("nn4n_structure_set_str", kindStructure, h, key, value)
}

//export nn4n_structure_key_count
func nn4n_structure_key_count(h C.uint64_t, count *C.int64_t) C.int32_t {
	return keyCount("nn4n_structure_key_count", kindStructure, h, count)
}

//export nn4n_structure_key_info
func nn4n_structure_key_info(h C.uint64_t, index C.int64_t, buf *C.char, n C.int64_t, needed *C.int64_t, lo, hi *C.double) C.int32_t {
	return keyInfo("nn4n_structure_key_info", kindStructure, h, index, buf, n, needed, lo, hi)
}

//export nn4n_task_set_f64
func nn4n_task_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	return setF64("nn4n_task_set_f64", kindTask, h, key, value)
}

//export nn4n_task_get_f64
func nn4n_task_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	return getF64("nn4n_task_get_f64", kindTask, h, key, value)
}

//export nn4n_task_key_count
func nn4n_task_key_count(h C.uint64_t, count *C.int64_t) C.int32_t {
	return keyCount("nn4n_task_key_count", kindTask, h, count)
}

//export nn4n_task_key_info
func nn4n_task_key_info(h C.uint64_t, index C.int64_t, buf *C.char, n C.int64_t, needed *C.int64_t, lo, hi *C.double) C.int32_t {
	return keyInfo("nn4n_task_key_info", kindTask, h, index, buf, n, needed, lo, hi)
}

//export nn4n_trainer_set_f64
func nn4n_trainer_set_f64(h C.uint64_t, key *C.nn4n_cchar, value C.double) C.int32_t {
	return setF64("nn4n_trainer_set_f64", kindTrainer, h, key, value)
}

//export nn4n_trainer_get_f64
func nn4n_trainer_get_f64(h C.uint64_t, key *C.nn4n_cchar, value *C.double) C.int32_t {
	return getF64("nn4n_trainer_get_f64", kindTrainer, h, key, value)
}

//export nn4n_trainer_get_str
func nn4n_trainer_get_str(h C.uint64_t, key *C.nn4n_cchar, buf *C.char, n C.int64_t, needed *C.int64_t) C.int32_t {
	return getStr("nn4n_trainer_get_str", kindTrainer, h, key, buf, n, needed)
}

//export nn4n_trainer_key_count
func nn4n_trainer_key_count(h C.uint64_t, count *C.int64_t) C.int32_t {
	return keyCount("nn4n_trainer_key_count", kindTrainer, h, count)
}

//export nn4n_trainer_key_info
func nn4n_trainer_key_info(h C.uint64_t, index C.int64_t, buf *C.char, n C.int64_t, needed *C.int64_t, lo, hi *C.double) C.int32_t {
	return keyInfo("nn4n_trainer_key_info", kindTrainer, h, index, buf, n, needed, lo, hi)
}

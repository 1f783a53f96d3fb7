/// LIBLINEAR's solver 5 (`L1R_L2LOSS_SVC`): coordinate descent with a Newton
/// direction and an Armijo line search on
///
///     min_w ‖w‖₁ + Σ_i C_i max(0, 1 − y_i wᵀx_i)²
///
/// (`solve_l1r_l2_svc` in scikit-learn 1.9.1's `linear.cpp`; Yuan et al. 2010,
/// Fan et al. 2008 appendix). The bias variable is L1-penalised like every
/// other weight.
///
/// It works on the transposed data (`transpose`: one list per feature, rows
/// in increasing order) with values pre-multiplied by `y_i`, keeps
/// `b_i = 1 − y_i wᵀx_i` up to date, shuffles the active features every pass,
/// shrinks features whose optimality is clear (`Gmax_old / l`), and stops when
/// the pass's total violation `Gnorm1 ≤ eps'·Gnorm1` of the first pass, with
/// `eps' = tol·max(min(#pos,#neg),1)/l`. After 20 failed halvings of a line
/// search, `b` is recomputed from scratch. Sums are sequential and unfused,
/// which reproduces scikit-learn bit for bit.
enum L1RegularizedL2LossSVC {
    struct Result {
        var w: [Double]
        var iterations: Int
    }

    static func solve(
        rows: SparseRows, variableCount wSize: Int, y: [Double], cost: [Double], eps: Double, maxIter: Int,
        random: inout LiblinearRandom
    ) -> Result {
        let l = rows.count
        var columns = rows.transposed(columns: wSize)
        let maxLineSearch = 20
        let sigma = 0.01
        var w = [Double](repeating: 0, count: wSize)
        let b = UnsafeMutableBufferPointer<Double>.workArray(count: l, repeating: 1)
        defer { b.deallocate() }
        var xjSq = [Double](repeating: 0, count: wSize)
        var index = Array(0..<wSize)

        // x->value *= y[ind]; b -= w_j·value (w = 0 here); xj_sq += C·value·value.
        for j in 0..<wSize {
            for k in columns.start[j]..<columns.start[j + 1] {
                let ind = Int(columns.index[k])
                columns.value[k] *= y[ind]
                let val = columns.value[k]
                b[ind] -= w[j] * val
                xjSq[j] += cost[ind] * val * val
            }
        }

        var active = wSize
        var gMaxOld = Double.infinity
        var gNorm1Init = -1.0
        var iter = 0
        let lDouble = Double(l)

        columns.withUnsafeBuffers { columns in
            let (start, rowIndex, value) = (columns.start, columns.column, columns.value)
            cost.withUnsafeBufferPointer { cost in
                while iter < maxIter {
                    var gMaxNew = 0.0
                    var gNorm1New = 0.0
                    random.shuffle(&index, active: active)

                    var s = 0
                    while s < active {
                        let j = index[s]
                        var gLoss = 0.0
                        var h = 0.0
                        for k in start[j]..<start[j + 1] {
                            let ind = Int(rowIndex[k])
                            if b[ind] > 0 {
                                let val = value[k]
                                let tmp = cost[ind] * val
                                gLoss -= tmp * b[ind]
                                h += tmp * val
                            }
                        }
                        gLoss *= 2
                        let g = gLoss
                        h *= 2
                        h = cMax(h, 1e-12)

                        let gp = g + 1
                        let gn = g - 1
                        var violation = 0.0
                        if w[j] == 0 {
                            if gp < 0 {
                                violation = -gp
                            } else if gn > 0 {
                                violation = gn
                            } else if gp > gMaxOld / lDouble && gn < -gMaxOld / lDouble {
                                active -= 1
                                index.swapAt(s, active)
                                continue
                            }
                        } else if w[j] > 0 {
                            violation = gp.magnitude
                        } else {
                            violation = gn.magnitude
                        }
                        gMaxNew = cMax(gMaxNew, violation)
                        gNorm1New += violation

                        // Newton direction.
                        var d: Double
                        if gp < h * w[j] {
                            d = -gp / h
                        } else if gn > h * w[j] {
                            d = -gn / h
                        } else {
                            d = -w[j]
                        }
                        if d.magnitude < 1.0e-12 {
                            s += 1
                            continue
                        }

                        var delta = (w[j] + d).magnitude - w[j].magnitude + g * d
                        var dOld = 0.0
                        var lossOld = 0.0
                        var lossNew = 0.0
                        var lineSearch = 0
                        while lineSearch < maxLineSearch {
                            let dDiff = dOld - d
                            var cond = (w[j] + d).magnitude - w[j].magnitude - sigma * delta
                            let appxcond = xjSq[j] * d * d + gLoss * d + cond
                            if appxcond <= 0 {
                                for k in start[j]..<start[j + 1] { b[Int(rowIndex[k])] += dDiff * value[k] }
                                break
                            }
                            if lineSearch == 0 {
                                lossOld = 0
                                lossNew = 0
                                for k in start[j]..<start[j + 1] {
                                    let ind = Int(rowIndex[k])
                                    if b[ind] > 0 { lossOld += cost[ind] * b[ind] * b[ind] }
                                    let bNew = b[ind] + dDiff * value[k]
                                    b[ind] = bNew
                                    if bNew > 0 { lossNew += cost[ind] * bNew * bNew }
                                }
                            } else {
                                lossNew = 0
                                for k in start[j]..<start[j + 1] {
                                    let ind = Int(rowIndex[k])
                                    let bNew = b[ind] + dDiff * value[k]
                                    b[ind] = bNew
                                    if bNew > 0 { lossNew += cost[ind] * bNew * bNew }
                                }
                            }
                            cond = cond + lossNew - lossOld
                            if cond <= 0 { break }
                            dOld = d
                            d *= 0.5
                            delta *= 0.5
                            lineSearch += 1
                        }
                        w[j] += d

                        // Recompute b if the line search took too many steps.
                        if lineSearch >= maxLineSearch {
                            for i in 0..<l { b[i] = 1 }
                            for jj in 0..<wSize where w[jj] != 0 {
                                for k in start[jj]..<start[jj + 1] {
                                    b[Int(rowIndex[k])] -= w[jj] * value[k]
                                }
                            }
                        }
                        s += 1
                    }

                    if iter == 0 { gNorm1Init = gNorm1New }
                    iter += 1
                    if gNorm1New <= eps * gNorm1Init {
                        if active == wSize { break }
                        active = wSize
                        gMaxOld = .infinity
                        continue
                    }
                    gMaxOld = gMaxNew
                }
            }
        }
        return Result(w: w, iterations: iter)
    }
}

// ThermoelasticModel: the mean strain of a periodic cube (zero mean stress through six unit-strain
// correctors, or prescribed), and the per-site stresses, mean strain and elastic energy.
#include "continuum/fe/thermoelastic_model_internal.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>

namespace cryocycle::continuum
{
  using namespace internal;

  std::vector<Tensor2>
  ThermoelasticModel::Implementation::site_average_strain(const Vector& ghosted) const
  {
    const dealii::QGauss<dim> quadrature(fe.degree + 1);
    dealii::FEValues<dim> fe_values(mapping, fe, quadrature,
                                    dealii::update_gradients | dealii::update_JxW_values);
    const dealii::FEValuesExtractors::Vector displacement(0);
    std::vector<Tensor2> at_q(quadrature.size());
    std::vector<Tensor2> average(site_cells.size());
    for (std::size_t s = 0; s < site_cells.size(); ++s)
    {
      fe_values.reinit(site_cells[s]);
      fe_values[displacement].get_function_symmetric_gradients(ghosted, at_q);
      double volume = 0.0;
      for (unsigned int q = 0; q < quadrature.size(); ++q)
      {
        average[s] += fe_values.JxW(q) * at_q[q];
        volume += fe_values.JxW(q);
      }
      average[s] /= volume;
    }
    return average;
  }

  std::array<double, 6>
  ThermoelasticModel::Implementation::mean_stress(const std::vector<Tensor2>& source_strain,
                                                  const LoadResponse& response) const
  {
    const auto strain = site_average_strain(response.displacement_ghosted);
    Tensor2 sum;
    for (std::size_t s = 0; s < site_cells.size(); ++s)
      sum += sites[s].volume_nm3 *
             (isotropic_stiffness(bulk_modulus_GPa[s], shear_modulus_GPa[s]) *
              (strain[s] + response.mean_strain - source_strain[s]));
    const SymmetricTensor6 local = voigt_from_tensor(sum);
    std::array<double, 6> global{};
    MPI_Allreduce(local.data(), global.data(), 6, MPI_DOUBLE, MPI_SUM, communicator);
    for (double& value : global)
      value /= total_volume_nm3;
    return global;
  }

  void ThermoelasticModel::Implementation::ensure_correctors(bool cold)
  {
    if (correctors_valid)
      return;
    // Response to each unit mean strain B_k: u = B_k x + u~_k with periodic u~_k, source -B_k.
    // Homogeneous moduli: u~_k = 0 exactly and <sigma> = C : B_k, no solve needed.
    for (unsigned int k = 0; k < 6; ++k)
    {
      const Tensor2 unit = voigt_basis(k);
      const std::vector<Tensor2> source(sites.size(), -unit);
      if (moduli_homogeneous)
      {
        correctors[k].valid = false;
        correctors[k].mean_strain = unit;
        const Tensor4 c = isotropic_stiffness(
          dealii::Utilities::MPI::max(sites.empty() ? 0.0 : bulk_modulus_GPa[0], communicator),
          dealii::Utilities::MPI::max(sites.empty() ? 0.0 : shear_modulus_GPa[0], communicator));
        const SymmetricTensor6 stress = voigt_from_tensor(c * unit);
        for (unsigned int j = 0; j < 6; ++j)
          effective_stiffness[j][k] = stress[j];
        continue;
      }
      solve_load(source, nullptr, correctors[k], cold);
      // mean_stress subtracts the source: sigma = C (eps(u~) + E - source) with E = B_k and
      // source = 0 for the physical problem; evaluate with a zero source and E = B_k.
      correctors[k].mean_strain = unit;
      const std::vector<Tensor2> no_source(sites.size());
      const auto stress = mean_stress(no_source, correctors[k]);
      for (unsigned int j = 0; j < 6; ++j)
        effective_stiffness[j][k] = stress[j];
    }
    correctors_valid = true;
  }

  void ThermoelasticModel::Implementation::add_mean_strain(const std::array<double, 6>& coefficients,
                                                          LoadResponse& response)
  {
    Tensor2 mean;
    for (unsigned int k = 0; k < 6; ++k)
      mean += coefficients[k] * voigt_basis(k);
    response.mean_strain = mean;
    if (moduli_homogeneous)
      return;
    Vector total = response.displacement;
    for (unsigned int k = 0; k < 6; ++k)
      total.add(coefficients[k], correctors[k].displacement);
    response.displacement_ghosted = total;
  }

  void ThermoelasticModel::Implementation::make_mean_stress_zero(
    const std::vector<Tensor2>& source_strain, LoadResponse& response, bool cold)
  {
    ensure_correctors(cold);
    const auto stress = mean_stress(source_strain, response);
    dealii::FullMatrix<double> m(6, 6), inverse(6, 6);
    for (unsigned int j = 0; j < 6; ++j)
      for (unsigned int k = 0; k < 6; ++k)
        m(j, k) = effective_stiffness[j][k];
    inverse.invert(m);
    std::array<double, 6> coefficients{};
    for (unsigned int j = 0; j < 6; ++j)
      for (unsigned int k = 0; k < 6; ++k)
        coefficients[j] -= inverse(j, k) * stress[k];
    add_mean_strain(coefficients, response);
  }

  void ThermoelasticModel::Implementation::postprocess()
  {
    const dealii::QGauss<dim> quadrature(fe.degree + 1);
    dealii::FEValues<dim> fe_values(mapping, fe, quadrature,
                                    dealii::update_gradients | dealii::update_JxW_values);
    const dealii::FEValuesExtractors::Vector displacement(0);
    std::vector<Tensor2> strain_t(quadrature.size()), strain_p(quadrature.size());
    const Tensor2 identity = dealii::unit_symmetric_tensor<dim>();
    double w_tt = 0.0, w_tp = 0.0, w_pp = 0.0;
    Tensor2 strain_sum_t, strain_sum_p;
    for (std::size_t s = 0; s < site_cells.size(); ++s)
    {
      fe_values.reinit(site_cells[s]);
      fe_values[displacement].get_function_symmetric_gradients(thermal.displacement_ghosted,
                                                               strain_t);
      fe_values[displacement].get_function_symmetric_gradients(plastic.displacement_ghosted,
                                                               strain_p);
      const Tensor4 c = isotropic_stiffness(bulk_modulus_GPa[s], shear_modulus_GPa[s]);
      // Elastic strain at q: eps(u) + E - source; its cell average gives the site stress.
      const Tensor2 shift_t = thermal.mean_strain - (alpha_per_K[s] / 3.0) * identity;
      const Tensor2 shift_p = plastic.mean_strain - tensor_from_voigt(eigenstrain[s]);
      Tensor2 average_t, average_p;
      double volume = 0.0;
      for (unsigned int q = 0; q < quadrature.size(); ++q)
      {
        const double jxw = fe_values.JxW(q);
        const Tensor2 elastic_t = strain_t[q] + shift_t, elastic_p = strain_p[q] + shift_p;
        const Tensor2 stress_t = c * elastic_t, stress_p = c * elastic_p;
        w_tt += (elastic_t * stress_t) * jxw;
        w_tp += (elastic_t * stress_p) * jxw;
        w_pp += (elastic_p * stress_p) * jxw;
        average_t += jxw * strain_t[q];
        average_p += jxw * strain_p[q];
        volume += jxw;
      }
      strain_sum_t += average_t;
      strain_sum_p += average_p;
      thermal_stress_per_K[s] = voigt_from_tensor(c * (average_t / volume + shift_t));
      plastic_stress[s] = voigt_from_tensor(c * (average_p / volume + shift_p));
    }
    energy_tt = dealii::Utilities::MPI::sum(0.5 * w_tt, communicator);
    energy_tp = dealii::Utilities::MPI::sum(w_tp, communicator);
    energy_pp = dealii::Utilities::MPI::sum(0.5 * w_pp, communicator);
    if (geometry.shape == SampleShape::periodic_cube)
    {
      mean_strain_thermal = voigt_from_tensor(thermal.mean_strain);
      mean_strain_plastic = voigt_from_tensor(plastic.mean_strain);
    }
    else
    {
      const SymmetricTensor6 local_t = voigt_from_tensor(strain_sum_t),
                   local_p = voigt_from_tensor(strain_sum_p);
      MPI_Allreduce(local_t.data(), mean_strain_thermal.data(), 6, MPI_DOUBLE, MPI_SUM,
                    communicator);
      MPI_Allreduce(local_p.data(), mean_strain_plastic.data(), 6, MPI_DOUBLE, MPI_SUM,
                    communicator);
      for (unsigned int k = 0; k < 6; ++k)
      {
        mean_strain_thermal[k] /= total_volume_nm3;
        mean_strain_plastic[k] /= total_volume_nm3;
      }
    }
  }

} // namespace cryocycle::continuum

// VTU + PVTU + PVD output of ThermoelasticModel fields for ParaView.
#include "continuum/spectral/periodic_spectral_solver.h"
#include "continuum/fe/thermoelastic_model_internal.h"
#include "core/run_directory.h"

#include <deal.II/base/data_out_base.h>
#include <deal.II/base/mpi.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/data_out.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cryocycle::continuum
{
  std::string ThermoelasticModel::write_vtu(const std::string& directory,
                                            const std::string& basename, double dT, double time)
  {
    using namespace internal;
    auto& impl = *implementation_;
    if (!impl.thermal.valid || !impl.plastic.valid)
      throw std::logic_error("ThermoelasticModel::write_vtu called before solve()");
    const bool root = dealii::Utilities::MPI::this_mpi_process(impl.communicator) == 0;
    if (root)
      std::filesystem::create_directories(directory);
    MPI_Barrier(impl.communicator);

    // Displacement u = dT u_T + u_eps (+ the mean strain E x of a periodic cube, so that the
    // warped shape in ParaView is the real one).
    const auto n_owned = impl.owned_dofs.n_elements();
    std::vector<double> values(n_owned);
    for (dealii::IndexSet::size_type row = 0; row < n_owned; ++row)
    {
      const auto dof = impl.owned_dofs.nth_index_in_set(row);
      values[row] = dT * impl.thermal.displacement_ghosted[dof] + impl.plastic.displacement_ghosted[dof];
    }
    const Tensor2 mean_strain = dT * impl.thermal.mean_strain + impl.plastic.mean_strain;
    if (mean_strain.norm() > 0)
    {
      const auto& unit_points = impl.fe.get_unit_support_points();
      std::vector<dealii::types::global_dof_index> dofs(impl.fe.n_dofs_per_cell());
      std::vector<unsigned char> done(n_owned, 0);
      for (const auto& cell : impl.site_cells)
      {
        cell->get_dof_indices(dofs);
        for (unsigned int i = 0; i < dofs.size(); ++i)
          if (impl.owned_dofs.is_element(dofs[i]))
          {
            const auto row = impl.owned_dofs.index_within_set(dofs[i]);
            if (done[row])
              continue;
            done[row] = 1;
            const unsigned int c = impl.fe.system_to_component_index(i).first;
            const auto x = impl.mapping.transform_unit_to_real_cell(cell, unit_points[i]);
            values[row] += (mean_strain * x)[c];
          }
      }
    }
    Vector owned(impl.owned_dofs, impl.communicator);
    for (dealii::IndexSet::size_type row = 0; row < n_owned; ++row)
      owned[impl.owned_dofs.nth_index_in_set(row)] = values[row];
    owned.compress(dealii::VectorOperation::insert);
    Vector displacement(impl.owned_dofs, impl.relevant_dofs, impl.communicator);
    displacement = owned;

    const auto n_cells = impl.triangulation.n_active_cells();
    const char* component_names[6] = {"stress_xx_GPa", "stress_yy_GPa", "stress_zz_GPa",
                                      "stress_yz_GPa", "stress_xz_GPa", "stress_xy_GPa"};
    std::vector<dealii::Vector<float>> stress(6, dealii::Vector<float>(n_cells));
    dealii::Vector<float> von_mises(n_cells), pressure(n_cells), alpha(n_cells), bulk(n_cells),
      shear(n_cells), eigenstrain_norm(n_cells), rank(n_cells);
    const auto total = stress_GPa(dT);
    const float this_rank =
      static_cast<float>(dealii::Utilities::MPI::this_mpi_process(impl.communicator));
    for (std::size_t s = 0; s < impl.site_cells.size(); ++s)
    {
      const auto index = impl.site_cells[s]->active_cell_index();
      for (unsigned int k = 0; k < 6; ++k)
        stress[k][index] = static_cast<float>(total[s][k]);
      von_mises[index] = static_cast<float>(von_mises_equivalent(total[s]));
      pressure[index] = static_cast<float>(pressure_of(total[s]));
      alpha[index] = static_cast<float>(impl.alpha_per_K[s]);
      bulk[index] = static_cast<float>(impl.bulk_modulus_GPa[s]);
      shear[index] = static_cast<float>(impl.shear_modulus_GPa[s]);
      eigenstrain_norm[index] = static_cast<float>(tensor_from_voigt(impl.eigenstrain[s]).norm());
      rank[index] = this_rank;
    }

    dealii::DataOut<dim> data_out;
    data_out.attach_dof_handler(impl.dof_handler);
    const std::vector<std::string> names(dim, "displacement_nm");
    const std::vector<dealii::DataComponentInterpretation::DataComponentInterpretation>
      interpretation(dim, dealii::DataComponentInterpretation::component_is_part_of_vector);
    data_out.add_data_vector(displacement, names, decltype(data_out)::type_dof_data,
                             interpretation);
    for (unsigned int k = 0; k < 6; ++k)
      data_out.add_data_vector(stress[k], component_names[k]);
    data_out.add_data_vector(von_mises, "von_mises_GPa");
    data_out.add_data_vector(pressure, "pressure_GPa");
    data_out.add_data_vector(alpha, "alpha_volumetric_per_K");
    data_out.add_data_vector(bulk, "bulk_modulus_GPa");
    data_out.add_data_vector(shear, "shear_modulus_GPa");
    data_out.add_data_vector(eigenstrain_norm, "eigenstrain_norm");
    data_out.add_data_vector(rank, "mpi_rank");
    data_out.build_patches(impl.mapping, impl.fe.degree);
    std::string dir = directory;
    if (!dir.empty() && dir.back() != '/')
      dir += '/';
    // deal.II writes the pieces and their PVTU record directly: into a folder of their own
    // first, moved into place only once every rank has written, so a killed run or a full disk
    // never leaves a truncated .vtu under its final name.
    const std::string partial = dir + ".partial_" + basename + "/";
    if (root)
      std::filesystem::create_directories(partial);
    MPI_Barrier(impl.communicator);
    std::string record;
    int failed = 0;
    std::string failure;
    try
    {
      record = data_out.write_vtu_with_pvtu_record(partial, basename, impl.output_counter, impl.communicator, 4);
    }
    catch (const std::exception& e)
    {
      failed = 1;
      failure = e.what();
    }
    failed = dealii::Utilities::MPI::max(failed, impl.communicator);
    if (failed)
    {
      if (root)
        std::filesystem::remove_all(partial);
      throw std::runtime_error("cannot write the VTU fields " + basename + " into " + dir +
                               " (disk full or not writable)" + (failure.empty() ? "" : ": " + failure.substr(0, 200)));
    }
    if (root)
    {
      for (const auto& entry : std::filesystem::directory_iterator(partial))
        std::filesystem::rename(entry.path(), dir + entry.path().filename().string());
      std::filesystem::remove(partial);
    }
    ++impl.output_counter;
    impl.pvd_records.emplace_back(time, record);
    if (root)
    {
      std::ostringstream pvd;
      dealii::DataOutBase::write_pvd_record(pvd, impl.pvd_records);
      core::write_file_atomically(dir + basename + ".pvd", pvd.str());
    }
    MPI_Barrier(impl.communicator);
    return record;
  }
} // namespace cryocycle::continuum
